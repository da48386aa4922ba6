"""Improvement actions' use cases: log, edit, move, note progress, list, post and export.
Each change is one transaction that also owes its card, DMs and Home tabs via the outbox."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Any

from pydantic import BaseModel, field_validator
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.actions import (
    STATUS_LABELS,
    ActionItem,
    ActionStatus,
    RagStatus,
    parse_action_number,
    rag_text,
)
from bot.core.calendar import format_date
from bot.core.errors import FormErrors, Refusal
from bot.core.permissions import Operation, permits, refusal, who_can
from bot.core.stages import closed_note
from bot.deps import Deps
from bot.improvement_actions._rules import (
    DETAIL_MAX,
    DROP_REASON_MAX,
    KEY_ACTION_MAX,
    NOTE_MAX,
    ListFilter,
    can_move,
    group_by_afi,
    may_manage,
)
from bot.improvement_actions.views import (
    MOST_PER_PART,
    NOT_LINKED,
    ActionMetadata,
    LatestNotes,
    build_action_card,
    build_action_due_reminder,
    build_action_list,
    build_action_modal,
    build_assignment_dm,
    build_drop_modal,
    build_history_modal,
    build_plan_messages,
    build_progress_modal,
    list_part_size,
)
from bot.review_access import (
    channel_review,
    readable_channel_review,
    require_permission,
)
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.blocks import Block, Message, input_value, input_values
from bot.slack.calls import CHANNEL_UNREACHABLE, answer_user, slack_error
from bot.slack.outbox import (
    Delivery,
    Kind,
    Owed,
    Undelivered,
    owe_direct_message,
    owe_message,
    post_once,
)
from bot.slack.payloads import UnreadablePayload, is_user_id, reading, record_id, whole_number
from bot.slack.text import escape_mrkdwn, mention, truncate
from storage.db import transaction
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.repositories.findings import option_choices, option_of_action, set_action_option
from storage.repositories.improvement_actions import (
    ActionFields,
    action_by_number,
    action_counts,
    add_action,
    afi_choices,
    afi_in_review,
    change_status,
    edit_action,
    get_action,
    item_of,
    latest_progress_note,
    listed_actions,
    progress_updates,
    record_progress,
    review_action_items,
    review_progress_notes,
    set_card,
    status_history,
)
from storage.repositories.requests import mark_applied
from storage.repositories.reviews import open_review_facts, roles_of, snapshot

# Republishes a person's Home tab: delivered by bot.home, which shows their actions.
HOME = Owed("home")
GONE = "That action no longer exists."
CLOSED = "That review is closed, so its actions can't be changed."
NO_ACTIONS = "No actions have been logged yet. Log the first with `/action log`."
# response_url takes 5 posts; keep one spare for anything that follows.
MAX_LIST_MESSAGES = 4
TOO_MANY = (
    "That's more than fits here. `/action plan` posts the whole plan to the channel, "
    "and `/action export` gives it as a spreadsheet."
)
ALREADY = {
    ActionStatus.OPEN: "is already open",
    ActionStatus.IN_PROGRESS: "is already in progress",
    ActionStatus.DONE: "is already done",
    ActionStatus.DROPPED: "has already been dropped",
}


class Press(StrEnum):
    """A button or ⋯ menu item on an action (card, reminder or Home tab)."""

    START = ids.ACTION_START
    DONE = ids.ACTION_DONE
    REOPEN = ids.ACTION_MORE_REOPEN
    EDIT = ids.ACTION_EDIT
    PROGRESS = ids.ACTION_PROGRESS
    DROP = ids.ACTION_MORE_DROP
    HISTORY = ids.ACTION_MORE_HISTORY


MOVES = {
    Press.START: ActionStatus.IN_PROGRESS,
    Press.DONE: ActionStatus.DONE,
    Press.REOPEN: ActionStatus.OPEN,
}


class ActionForm(BaseModel):
    afi: str | None = None
    key_action: str = ""
    owner: str | None = None
    due: date | None = None
    risks: str = ""
    measure: str = ""
    outcome: str = ""
    option: str | None = None

    @property
    def afi_id(self) -> int | None:
        return record_id(self.afi) if self.afi and self.afi != NOT_LINKED else None

    @field_validator("afi")
    @classmethod
    def _an_offered_afi(cls, value: str | None) -> str | None:
        if value and value != NOT_LINKED:
            record_id(value)
        return value

    @field_validator("owner")
    @classmethod
    def _a_picked_user(cls, value: str | None) -> str | None:
        if value is not None and not is_user_id(value):
            raise ValueError("not a user from the picker")
        return value

    @property
    def option_id(self) -> int | None:
        return whole_number(self.option)


FORM_FIELDS = {
    ids.ACTION_AFI: "afi",
    ids.ACTION_KEY: "key_action",
    ids.ACTION_OWNER: "owner",
    ids.ACTION_DUE: "due",
    ids.ACTION_RISKS: "risks",
    ids.ACTION_MEASURE: "measure",
    ids.ACTION_OUTCOME: "outcome",
    ids.ACTION_OPTION: "option",
}


def parse_action_form(values: dict[str, dict[str, Any]]) -> ActionForm:
    """UnreadablePayload if the form holds what the modal can't send."""
    with reading("the action form"):
        given = input_values(values)
        return ActionForm.model_validate(
            {name: given[block] for block, name in FORM_FIELDS.items() if block in given}
        )


class ProgressForm(BaseModel):
    note: str = ""
    rag: RagStatus | None = None


def parse_progress_form(values: dict[str, dict[str, Any]]) -> ProgressForm:
    data: dict[str, Any] = {}
    with reading("the progress form"):
        for state in values.get(ids.ACTION_PROGRESS_NOTE, {}).values():
            data["note"] = str(state.get("value") or "").strip()
        for state in values.get(ids.ACTION_PROGRESS_RAG, {}).values():
            data["rag"] = input_value(state)
        return ProgressForm.model_validate(data)


def parse_drop_reason(values: dict[str, dict[str, Any]]) -> str:
    with reading("the drop form"):
        for state in values.get(ids.ACTION_DROP_REASON, {}).values():
            return str(state.get("value") or "").strip()
    return ""


@dataclass(frozen=True)
class ProgressWords:
    """`/action progress 3 amber Waiting for the quote`."""

    number: int
    rag: RagStatus | None
    note: str


def parse_progress_words(text: str) -> ProgressWords | None:
    """The number, then a RAG status word if any (any case), then the note; None without
    a readable number."""
    first, _, rest = text.strip().partition(" ")
    number = parse_action_number(first)
    if number is None:
        return None
    word, _, after = rest.strip().partition(" ")
    try:
        return ProgressWords(number, RagStatus(word.lower()), after.strip())
    except ValueError:
        return ProgressWords(number, None, rest.strip())


def parse_list_filter(word: str) -> ListFilter | None:
    """'' → open; 'mine', 'overdue', 'all' (any case); anything else → None."""
    cleaned = word.strip().lower() or ListFilter.OPEN
    return next((which for which in ListFilter if which == cleaned), None)


def validate_action_form(
    form: ActionForm, *, today: date, current_due: date | None = None
) -> dict[str, str]:
    """Errors by block_id. An edit may keep a due date since passed (overdue, not wrong)."""
    errors: dict[str, str] = {}
    if not form.afi:
        errors[ids.ACTION_AFI] = "Choose the area for improvement, or “Not linked to an AFI”."
    if not form.key_action:
        errors[ids.ACTION_KEY] = "Say what the key action is."
    elif len(form.key_action) > KEY_ACTION_MAX:
        errors[ids.ACTION_KEY] = f"Keep the key action under {KEY_ACTION_MAX} characters."
    for block_id, text in (
        (ids.ACTION_RISKS, form.risks),
        (ids.ACTION_MEASURE, form.measure),
        (ids.ACTION_OUTCOME, form.outcome),
    ):
        if len(text) > DETAIL_MAX:
            errors[block_id] = f"Keep this to {DETAIL_MAX} characters (this is {len(text)})."
    if not form.owner:
        errors[ids.ACTION_OWNER] = "Choose who owns this action."
    if form.due is None:
        errors[ids.ACTION_DUE] = "Choose a due date."
    elif form.due < today and form.due != current_due:
        errors[ids.ACTION_DUE] = (
            f"{format_date(form.due)} is in the past. Choose today ({format_date(today)}) or later."
        )
    return errors


def owe_homes(session: Session, *, team_id: str, users: Iterable[str | None]) -> None:
    """Republish these people's Home tabs after commit (bot.home delivers; refreshes of
    one tab coalesce)."""
    for user_id in dict.fromkeys(user for user in users if user):
        lane = f"{HOME.name}:{team_id}:{user_id}"
        HOME.owe(session, team_id=team_id, lane=lane, payload={"user_id": user_id}, key=lane)


def not_allowed(number: int, owner_id: str) -> str:
    return (
        f"Only the action's owner ({mention(owner_id)}) or the review's "
        f"{who_can(Operation.MANAGE_ANY_ACTION)} can change action {number}."
    )


def _changeable(session: Session, *, action_id: int, user_id: str) -> tuple[Action, Review]:
    action = get_action(session=session, action_id=action_id)
    review = session.get(Review, action.review_id) if action else None
    if action is None or review is None:
        raise Refusal(GONE)
    if review.closed_at is not None:
        raise Refusal(CLOSED)
    if not may_manage(user_id, owner_id=action.owner_id, roles=roles_of(review, user_id)):
        raise Refusal(not_allowed(action.number, action.owner_id))
    return action, review


def _numbered(session: Session, *, channel_id: str, number: int) -> Action:
    review = channel_review(session, channel_id=channel_id)
    action = action_by_number(session=session, review_id=review.id, number=number)
    if action is None:
        raise Refusal(f"This review has no action {number}. `/action list all` shows every action.")
    return action


@contextmanager
def _on_field(block_id: str) -> Iterator[None]:
    """A refusal shown on the form's field, so nothing typed is lost."""
    try:
        yield
    except Refusal as refused:
        raise FormErrors({block_id: refused.message}) from None


def log_form(
    deps: Deps, *, channel_id: str, user_id: str, key_action: str, response_url: str | None
) -> tuple[Block, str | None]:
    """The log form, `key_action` filled in, and a note giving back one too long for it."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.LOG_ACTION)
        metadata = ActionMetadata(review_id=review.id, response_url=response_url)
        view = _action_modal(session, metadata, None, key_action)
    if len(key_action) <= KEY_ACTION_MAX:
        return view, None
    return view, (
        f"A key action holds up to {KEY_ACTION_MAX} characters, so the form has the start "
        "of what you typed. Here it is in full, to copy the rest into risks, measure or "
        f"outcome:\n```{escape_mrkdwn(key_action)}```"
    )


def press(deps: Deps, asker: Asker, *, pressed: Press, action_id: int, in_home: bool) -> None:
    """A move is saved, or the form (for those who may change it) or history opens. A
    refusal on the Home tab also redraws the tab: the press came from a stale picture."""
    try:
        if pressed in MOVES:
            _move(deps, action_id=action_id, target=MOVES[pressed], user_id=asker.user_id)
            return
        with transaction(deps.sessions) as session:
            if pressed is Press.HISTORY:
                view = _history(session, deps, action_id=action_id)
            else:
                user_id, url = asker.user_id, asker.response_url
                view = _change_form(session, pressed, action_id=action_id, user_id=user_id, url=url)
    except Refusal:
        if in_home:
            with transaction(deps.sessions) as session:
                owe_homes(session, team_id=asker.team_id, users=[asker.user_id])
        raise
    asker.open_modal(view)


def numbered_form(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    number: int,
    pressed: Press,
    response_url: str | None,
) -> Block:
    """`/action edit 3`, `/action progress 3`."""
    with transaction(deps.sessions) as session:
        action = _numbered(session, channel_id=channel_id, number=number)
        return _change_form(
            session, pressed, action_id=action.id, user_id=user_id, url=response_url
        )


def _change_form(
    session: Session, pressed: Press, *, action_id: int, user_id: str, url: str | None
) -> Block:
    action, _ = _changeable(session, action_id=action_id, user_id=user_id)
    item = item_of(action)
    metadata = ActionMetadata(review_id=item.review_id, action_id=item.id, response_url=url)
    if pressed is Press.DROP:
        return build_drop_modal(item=item, metadata=metadata)
    if pressed is Press.PROGRESS:
        return build_progress_modal(item=item, metadata=metadata)
    return _action_modal(session, metadata, item)


def _action_modal(
    session: Session, metadata: ActionMetadata, item: ActionItem | None, typed: str = ""
) -> Block:
    prioritised, others = afi_choices(session=session, review_id=metadata.review_id)
    options = option_choices(session=session, review_id=metadata.review_id)
    chosen = option_of_action(session=session, action_id=item.id) if item else None
    return build_action_modal(
        metadata=metadata,
        prioritised=prioritised,
        others=others,
        existing=item,
        key_action=typed,
        options=options,
        chosen_option=chosen,
    )


def _history(session: Session, deps: Deps, *, action_id: int) -> Block:
    action = get_action(session=session, action_id=action_id)
    if action is None:
        raise Refusal(GONE)
    return build_history_modal(
        item_of(action),
        status_history(session=session, action_id=action_id),
        zone=deps.settings.timezone,
        progress=progress_updates(session=session, action_id=action_id),
    )


def save_action(
    deps: Deps,
    *,
    metadata: ActionMetadata,
    form: ActionForm,
    user_id: str,
    request_key: str | None,
) -> None:
    """Log or edit an action; FormErrors when the form or rights don't allow it. The same
    submission twice saves once."""
    with transaction(deps.sessions) as session:
        review = session.get(Review, metadata.review_id)
        if review is None or review.closed_at is not None:
            raise FormErrors({ids.ACTION_KEY: "This review has been closed."})
        existing = (
            get_action(session=session, action_id=metadata.action_id)
            if metadata.action_id
            else None
        )
        if metadata.action_id and (existing is None or existing.review_id != review.id):
            raise FormErrors({ids.ACTION_KEY: "This action no longer exists."})
        roles = roles_of(review, user_id)
        if existing is not None:
            if not may_manage(user_id, owner_id=existing.owner_id, roles=roles):
                raise FormErrors({ids.ACTION_KEY: not_allowed(existing.number, existing.owner_id)})
        elif not permits(Operation.LOG_ACTION, roles):
            raise FormErrors({ids.ACTION_KEY: refusal(Operation.LOG_ACTION)})
        errors = validate_action_form(
            form, today=deps.today(), current_due=existing.due if existing else None
        )
        if (
            form.afi_id is not None
            and afi_in_review(session=session, review_id=review.id, afi_id=form.afi_id) is None
        ):
            errors[ids.ACTION_AFI] = "That area for improvement is no longer in this review."
        if option_problem := _option_problem(session, review.id, form):
            errors[ids.ACTION_OPTION] = option_problem
        if errors:
            raise FormErrors(errors)
        if request_key and not mark_applied(
            session=session, key=f"action.save:{request_key}", now=deps.now()
        ):
            return  # this very submission was saved already
        assert form.owner is not None and form.due is not None  # validated
        fields = ActionFields(
            key_action=form.key_action,
            owner_id=form.owner,
            due=form.due,
            afi_id=form.afi_id,
            risks=form.risks,
            measure=form.measure,
            outcome=form.outcome,
        )
        previous_owner = existing.owner_id if existing else None
        action = existing or add_action(
            session=session, review_id=review.id, fields=fields, actor_id=user_id, now=deps.now()
        )
        if existing:
            edit_action(
                session=session, action=action, fields=fields, actor_id=user_id, now=deps.now()
            )
        set_action_option(session=session, action_id=action.id, finding_id=form.option_id)
        _owe_follow_ups(
            session,
            review=review,
            item=item_of(action),
            user_id=user_id,
            previous_owner=previous_owner,
            response_url=metadata.response_url,
        )


def _option_problem(session: Session, review_id: int, form: ActionForm) -> str | None:
    if form.option_id is None:
        return None
    choices = option_choices(session=session, review_id=review_id)
    chosen = next((choice for choice in choices if choice.id == form.option_id), None)
    if chosen is None:
        return "That option is no longer recorded; choose another or leave it blank."
    if chosen.afi_id != form.afi_id:
        return (
            f"Option {chosen.number} belongs to AFI {chosen.afi_number}: choose that area above, "
            "or leave the option blank."
        )
    return None


def _owe_follow_ups(
    session: Session,
    *,
    review: Review,
    item: ActionItem,
    user_id: str,
    previous_owner: str | None,
    response_url: str | None,
) -> None:
    def told(text: str) -> Undelivered:
        return {"user_id": user_id, "response_url": response_url, "text": text}

    card_lost = f"Action {item.number} is saved, but I couldn't post its card."
    owe_card(session, review=review, action_id=item.id, if_undelivered=told(card_lost))
    if item.owner_id != user_id and item.owner_id != previous_owner:
        text, blocks = build_assignment_dm(
            item,
            assigned_by=user_id,
            channel_id=review.channel_id,
            host=review.host_council,
            edited=previous_owner is not None,
        )
        dm_lost = (
            f"Action {item.number} is saved, but I couldn't send "
            f"{mention(item.owner_id)} a direct message."
        )
        owe_direct_message(
            session,
            team_id=review.team_id,
            user_id=item.owner_id,
            text=text,
            blocks=blocks,
            if_undelivered=told(dm_lost),
        )
    if previous_owner and previous_owner not in (item.owner_id, user_id):
        owe_direct_message(
            session,
            team_id=review.team_id,
            user_id=previous_owner,
            text=f"{mention(user_id)} passed action {item.number} "
            f"({truncate(escape_mrkdwn(item.key_action), 200)}) on to "
            f"{mention(item.owner_id)}. It's no longer yours.",
        )
    owe_homes(session, team_id=review.team_id, users=(user_id, item.owner_id, previous_owner))


def _move(
    deps: Deps, *, action_id: int, target: ActionStatus, user_id: str, reason: str = ""
) -> ActionItem:
    with transaction(deps.sessions) as session:
        action, review = _changeable(session, action_id=action_id, user_id=user_id)
        status, number = ActionStatus(action.status), action.number
        if status is target:
            raise Refusal(f"Action {number} {ALREADY[target]}.")
        if not can_move(status, target):
            raise Refusal(
                f"Action {number} is {STATUS_LABELS[status].lower()}; reopen it "
                "first (the ⋯ menu on its card)."
            )
        moved = change_status(
            session=session,
            action=action,
            expected=status,
            target=target,
            actor_id=user_id,
            now=deps.now(),
            reason=reason,
        )
        if not moved:
            raise Refusal(f"Someone changed action {number} at the same moment; try again.")
        owe_card(session, review=review, action_id=action.id)
        owe_homes(session, team_id=review.team_id, users=(user_id, action.owner_id))
        return item_of(action)


def mark_done(deps: Deps, *, channel_id: str, user_id: str, number: int) -> str:
    """`/action done 3`, as the card's button does."""
    with transaction(deps.sessions) as session:
        action_id = _numbered(session, channel_id=channel_id, number=number).id
    _move(deps, action_id=action_id, target=ActionStatus.DONE, user_id=user_id)
    return f"✅ Action {number} is marked done. Its card in the channel is updated."


def drop_action(deps: Deps, *, metadata: ActionMetadata, reason: str, user_id: str) -> None:
    with _on_field(ids.ACTION_DROP_REASON):
        if not reason:
            raise Refusal("Say why, so the plan records it.")
        if len(reason) > DROP_REASON_MAX:
            raise Refusal(
                f"Keep the reason to {DROP_REASON_MAX} characters (this is {len(reason)})."
            )
        if metadata.action_id is None:  # the drop modal always names its action
            raise UnreadablePayload("a drop form without its action")
        target = ActionStatus.DROPPED
        _move(deps, action_id=metadata.action_id, target=target, user_id=user_id, reason=reason)


def _check_note(note: str) -> None:
    if len(note) > NOTE_MAX:
        raise Refusal(f"Keep the note to {NOTE_MAX} characters (this is {len(note)}).")


def update_progress(
    deps: Deps,
    *,
    action_id: int,
    user_id: str,
    note: str,
    rag: RagStatus | None,
    request_key: str | None = None,
) -> ActionItem:
    """A progress note and/or new RAG status; the same submission twice saves once."""
    with transaction(deps.sessions) as session:
        action, review = _changeable(session, action_id=action_id, user_id=user_id)
        new_rag = rag if rag is not None and rag.value != action.rag else None
        if not note and new_rag is None:
            raise Refusal("Write a progress note, or choose a different RAG status.")
        if request_key and not mark_applied(
            session=session, key=f"action.progress:{request_key}", now=deps.now()
        ):
            return item_of(action)  # this very submission was saved already
        record_progress(
            session=session,
            action=action,
            author_id=user_id,
            note=note,
            rag=new_rag,
            now=deps.now(),
        )
        owe_card(session, review=review, action_id=action.id)
        owe_homes(session, team_id=review.team_id, users=(user_id, action.owner_id))
        return item_of(action)


def save_progress(
    deps: Deps,
    *,
    metadata: ActionMetadata,
    form: ProgressForm,
    user_id: str,
    request_key: str | None,
) -> None:
    with _on_field(ids.ACTION_PROGRESS_NOTE):
        _check_note(form.note)
        if metadata.action_id is None:  # the progress modal always names its action
            raise UnreadablePayload("a progress form without its action")
        update_progress(
            deps,
            action_id=metadata.action_id,
            user_id=user_id,
            note=form.note,
            rag=form.rag,
            request_key=request_key,
        )


def choose_rag(
    deps: Deps, *, action_id: int, user_id: str, rag: RagStatus, request_key: str
) -> Message:
    """A RAG button in the owner's reminder; the answer is the reminder again, showing it."""
    with transaction(deps.sessions) as session:
        action, _ = _changeable(session, action_id=action_id, user_id=user_id)
        item = item_of(action)
    if not item.unfinished:
        raise Refusal(
            f"Action {item.number} is {STATUS_LABELS[item.status].lower()} already, so its "
            "RAG status no longer matters."
        )
    if item.rag != rag:
        update_progress(
            deps, action_id=action_id, user_id=user_id, note="", rag=rag, request_key=request_key
        )
    with transaction(deps.sessions) as session:
        action, review = _changeable(session, action_id=action_id, user_id=user_id)
        zone = open_review_facts(review, default_zone=deps.settings.timezone).zone
        today = deps.now().astimezone(zone).date()
        item = item_of(action)
        return build_action_due_reminder(
            item,
            host_council=review.host_council,
            channel_id=review.channel_id,
            today=today,
            overdue=item.due < today,
        )


def note_progress(deps: Deps, *, channel_id: str, user_id: str, words: ProgressWords) -> str:
    """`/action progress 3 amber …`: who may change it is checked before what was typed."""
    with transaction(deps.sessions) as session:
        action = _numbered(session, channel_id=channel_id, number=words.number)
        _changeable(session, action_id=action.id, user_id=user_id)
        action_id = action.id
    _check_note(words.note)
    item = update_progress(
        deps, action_id=action_id, user_id=user_id, note=words.note, rag=words.rag
    )
    rag = f"Action {words.number} is now {rag_text(item.rag)}"
    if words.rag and words.note:
        saved = f"{rag}, and your note is saved."
    elif words.rag:
        saved = f"{rag}."
    else:
        saved = f"Your note on action {words.number} is saved."
    return f"📝 {saved} Its card in the channel is updated."


def action_list(
    deps: Deps, *, channel_id: str, user_id: str, which: ListFilter
) -> list[tuple[str, list[Block] | None]]:
    """`/action list`: as many ephemeral messages as a command may answer with, built from
    only the actions they show (the parts are counted, not built)."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        listed = listed_actions(
            session=session,
            review_id=review.id,
            owner_id=user_id if which is ListFilter.MINE else None,
            unfinished=which in (ListFilter.OPEN, ListFilter.OVERDUE),
            due_before=today if which is ListFilter.OVERDUE else None,
            limit=MAX_LIST_MESSAGES * MOST_PER_PART,
        )
    per_part = list_part_size(
        key_chars=listed.key_chars, owner_chars=listed.owner_chars, afi_chars=listed.afi_chars
    )
    shown = listed.first[: MAX_LIST_MESSAGES * per_part]
    messages = build_action_list(
        group_by_afi(shown),
        which=which,
        today=today,
        total=listed.total,
        listed=listed.listed,
        per_part=per_part,
    )
    if listed.listed <= len(shown):
        return list(messages)
    return [*messages, (TOO_MANY, None)]


def post_plan(
    deps: Deps, *, channel_id: str, user_id: str, response_url: str | None = None
) -> list[str]:
    """Owe the plan to the channel (a closed review's stays readable); what to tell the
    person who asked."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SEE_PLAN)
        items = review_action_items(session=session, review_id=review.id)
        if not items:
            return [closed_note(review), NO_ACTIONS] if review.closed_at else [NO_ACTIONS]
        progress = review_progress_notes(session=session, review_id=review.id)
        messages = build_plan_messages(
            snapshot(review),
            group_by_afi(items),
            today=today,
            posted_by=user_id,
            notes=LatestNotes(
                {number: updates[-1] for number, updates in progress.items()},
                zone=deps.settings.timezone,
            ),
        )
        told = Undelivered(
            user_id=user_id, response_url=response_url, text="I couldn't post the plan."
        )
        for part, (text, blocks) in enumerate(messages):
            owe_message(
                session,
                team_id=review.team_id,
                channel=review.channel_id,
                text=text,
                blocks=blocks,
                if_undelivered=None if part else told,  # the later parts can't get there either
            )
    return []


def request_plan_export(
    deps: Deps, *, channel_id: str, user_id: str, response_url: str | None
) -> str:
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SEE_PLAN)
        total, _ = action_counts(session=session, review_id=review.id)
        if not total:
            raise Refusal("No actions have been logged yet, so there's nothing to export.")
        payload = {"review_id": review.id, "channel": review.channel_id, "user_id": user_id}
        PLAN_EXPORT_KIND.owe(
            session,
            team_id=review.team_id,
            lane=review.channel_id,
            payload={**payload, "response_url": response_url},
        )
    return (
        "I'm putting the plan into a spreadsheet. It'll appear in this channel in a moment, "
        "as an Excel workbook and a CSV file."
    )


# Delivered by the outbox: an action's card (posted once, then updated in place) and the
# plan's spreadsheets (too slow to build within a command's three seconds).
# The card couldn't be updated in place (deleted, say): post a fresh one instead.
CARD_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


def owe_card(
    session: Session,
    *,
    review: Review,
    action_id: int,
    if_undelivered: Undelivered | None = None,
) -> None:
    """Pending refreshes of one card coalesce; each shows the state when sent."""
    action = get_action(session=session, action_id=action_id)
    lane = f"{ACTION_CARD_KIND.name}:{action_id}"
    ACTION_CARD_KIND.owe(
        session,
        team_id=review.team_id,
        lane=lane,
        payload={
            "action_id": action_id,
            "channel": (action.channel_id if action else None) or review.channel_id,
            "if_undelivered": if_undelivered,
        },
        key=lane,
    )


def deliver_card(delivery: Delivery) -> None:
    deps = delivery.deps
    action_id = int(delivery.payload["action_id"])
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        current = item_of(action) if action else None
        latest_note = latest_progress_note(session=session, action_id=action_id)
    if current is None:
        return  # the action is gone: nothing to show
    text, blocks = build_action_card(current, zone=deps.settings.timezone, latest_note=latest_note)
    if current.channel_id and current.message_ts:
        try:
            delivery.client.chat_update(
                channel=current.channel_id, ts=current.message_ts, text=text, blocks=blocks
            )
            return
        except SlackApiError as error:
            if slack_error(error) not in CARD_GONE:
                raise
    channel = current.channel_id or str(delivery.payload["channel"])
    ts, _ = post_once(delivery, channel=channel, text=text, blocks=blocks)
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        if action is not None:
            set_card(session=session, action=action, channel_id=channel, message_ts=ts)


ACTION_CARD_KIND = Kind("action_card", deliver_card)


def display_names(client: WebClient, user_ids: list[str]) -> dict[str, str]:
    """Real names, so the spreadsheet reads without Slack; ids where Slack doesn't know."""
    names: dict[str, str] = {}
    for user_id in dict.fromkeys(user_ids):
        try:
            user = client.users_info(user=user_id)["user"]
        except SlackApiError:
            continue
        names[user_id] = str(user.get("real_name") or user.get("name") or user_id)
    return names


def deliver_plan_export(delivery: Delivery) -> None:
    # openpyxl is slow to import: only the process delivering an export loads it.
    from bot.improvement_actions._export import note_rows, plan_csv, plan_rows, plan_xlsx

    deps, payload = delivery.deps, delivery.payload
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = session.get(Review, int(payload["review_id"]))
        if review is None:
            return  # the review is gone: nothing to export
        host = review.host_council
        items = review_action_items(session=session, review_id=review.id)
        notes = review_progress_notes(session=session, review_id=review.id)
    people = [item.owner_id for item in items]
    people += [note.author_id for updates in notes.values() for note in updates]
    names = display_names(delivery.client, people)
    groups = group_by_afi(items)
    zone = deps.settings.timezone
    plan = plan_rows(groups, names=names, zone=zone, notes=notes)
    slug = "".join(c if c.isalnum() else "-" for c in host.lower())
    name = f"improvement-plan-{slug}-{today.isoformat()}"
    title = f"Improvement plan: {host}, {format_date(today)}"
    xlsx = plan_xlsx(plan, note_rows(groups, names=names, zone=zone, notes=notes))
    files = [
        {"file": xlsx, "filename": f"{name}.xlsx", "title": f"{title} (Excel)"},
        {"file": plan_csv(plan), "filename": f"{name}.csv", "title": f"{title} (CSV)"},
    ]
    comment = (
        f"The {escape_mrkdwn(host)} improvement plan as at {format_date(today)}: an Excel "
        "workbook with every column and the progress notes, and a CSV for performance systems."
    )

    def upload(channel: str) -> None:
        delivery.client.files_upload_v2(
            channel=channel, file_uploads=files, initial_comment=comment, request_file_info=False
        )

    try:
        return upload(str(payload["channel"]))
    except SlackApiError as error:
        if slack_error(error) not in CHANNEL_UNREACHABLE:
            raise
    # The channel is out of reach: send the files to the person who asked instead.
    user_id = str(payload["user_id"])
    upload(delivery.client.conversations_open(users=user_id)["channel"]["id"])
    answer_user(
        delivery.client,
        user_id=user_id,
        response_url=payload.get("response_url"),
        text="I couldn't post in the review's channel, so I've sent you the plan in a "
        "direct message.",
    )


PLAN_EXPORT_KIND = Kind("plan_export", deliver_plan_export)
