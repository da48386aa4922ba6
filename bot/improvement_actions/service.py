"""Improvement action use cases: logging or editing one, changing its status.

Each use case loads, checks and saves in one transaction, and owes Slack what follows from
the change (the card, the owners' direct messages, Home tabs) through the outbox in that
same transaction: a saved change is never reported as failed, and its messages follow as
soon as Slack answers.
"""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.home.service import owe_homes
from bot.improvement_actions.modal import ActionForm, ActionMetadata, validate_action_form
from bot.improvement_actions.rules import (
    STATUS_LABELS,
    ActionItem,
    ActionStatus,
    can_move,
    may_manage,
)
from bot.improvement_actions.views import build_action_card, build_assignment_dm
from bot.reviews.permissions import Operation, permits, refusal, who_can
from bot.slack import ids
from bot.slack.calls import slack_error
from bot.slack.deliveries import OUTBOX_EVENT, find_posted, owe_direct_message
from bot.slack.outbox import Delivery, owe
from bot.slack.text import escape_mrkdwn, mention, truncate
from storage.db import transaction
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.repositories.findings import option_choices, set_action_option
from storage.repositories.improvement_actions import (
    ActionFields,
    add_action,
    afi_in_review,
    change_status,
    edit_action,
    get_action,
    item_of,
    set_card,
)
from storage.repositories.outbox import mark_applied
from storage.repositories.reviews import roles_of

ACTION_CARD = "action_card"
# The card couldn't be updated in place (deleted, say): post a fresh one instead.
CARD_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})

ALREADY = {
    ActionStatus.OPEN: "is already open",
    ActionStatus.IN_PROGRESS: "is already in progress",
    ActionStatus.DONE: "is already done",
    ActionStatus.DROPPED: "has already been dropped",
}


def not_allowed(item: ActionItem) -> str:
    return (
        f"Only the action's owner ({mention(item.owner_id)}) or the review's "
        f"{who_can(Operation.MANAGE_ANY_ACTION)} can change action {item.number}."
    )


@dataclass(frozen=True)
class ActionChange:
    """What became of a request to change an action: `problem` is for the user, if any."""

    item: ActionItem | None
    problem: str | None = None
    team_id: str = ""


def _managed(
    session: Session, *, action_id: int, user_id: str
) -> tuple[Action | None, Review | None, ActionChange]:
    """Load an action for a change; the ActionChange names the problem if the user may not."""
    action = get_action(session=session, action_id=action_id)
    review = session.get(Review, action.review_id) if action else None
    if action is None or review is None:
        return None, None, ActionChange(None, "That action no longer exists.")
    item = item_of(action)
    if review.closed_at is not None:
        return (
            None,
            None,
            ActionChange(item, "That review is closed, so its actions can't be changed."),
        )
    if not may_manage(user_id, owner_id=item.owner_id, roles=roles_of(review, user_id)):
        return None, None, ActionChange(item, not_allowed(item))
    return action, review, ActionChange(item, team_id=review.team_id)


def check_may_manage(deps: Deps, *, action_id: int, user_id: str) -> ActionChange:
    """The action if `user_id` may change it; otherwise the reason they can't."""
    with transaction(deps.sessions) as session:
        return _managed(session, action_id=action_id, user_id=user_id)[2]


def apply_status(
    deps: Deps, *, action_id: int, target: ActionStatus, user_id: str, reason: str = ""
) -> ActionChange:
    """Move an action to `target` if the user may and the move makes sense; its card and the
    Home tabs concerned follow."""
    with transaction(deps.sessions) as session:
        action, review, checked = _managed(session, action_id=action_id, user_id=user_id)
        item = checked.item
        if action is None or review is None or item is None:
            return checked
        if item.status is target:
            return ActionChange(item, f"Action {item.number} {ALREADY[target]}.")
        if not can_move(item.status, target):
            return ActionChange(
                item,
                f"Action {item.number} is {STATUS_LABELS[item.status].lower()}; reopen it "
                "first (the ⋯ menu on its card).",
            )
        moved = change_status(
            session=session,
            action=action,
            expected=item.status,
            target=target,
            actor_id=user_id,
            now=deps.now(),
            reason=reason,
        )
        if not moved:
            return ActionChange(
                item, f"Someone changed action {item.number} at the same moment; try again."
            )
        owe_card(session, review=review, action=action)
        owe_homes(session, team_id=review.team_id, users=(user_id, action.owner_id))
        return ActionChange(item_of(action), team_id=review.team_id)


class FormProblem(Exception):
    """The submission can't be saved; `errors` maps input block_ids to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _fields_of(form: ActionForm) -> ActionFields:
    assert form.owner is not None and form.due is not None  # validated
    return ActionFields(
        key_action=form.key_action,
        owner_id=form.owner,
        due=form.due,
        afi_id=form.afi_id,
        risks=form.risks,
        measure=form.measure,
        outcome=form.outcome,
    )


def save_action(
    deps: Deps,
    *,
    metadata: ActionMetadata,
    form: ActionForm,
    user_id: str,
    request_key: str | None,
) -> None:
    """Log a new action or save an edited one, owing its card, the owners' messages and the
    Home tabs. Raises FormProblem with inline errors when the form or the user's rights
    don't allow it. The same submission delivered twice saves once."""
    with transaction(deps.sessions) as session:
        review = session.get(Review, metadata.review_id)
        if review is None or review.closed_at is not None:
            raise FormProblem({ids.ACTION_KEY: "This review has been closed."})
        existing = (
            get_action(session=session, action_id=metadata.action_id)
            if metadata.action_id
            else None
        )
        if metadata.action_id and (existing is None or existing.review_id != review.id):
            raise FormProblem({ids.ACTION_KEY: "This action no longer exists."})
        roles = roles_of(review, user_id)
        if existing is not None:
            if not may_manage(user_id, owner_id=existing.owner_id, roles=roles):
                raise FormProblem({ids.ACTION_KEY: not_allowed(item_of(existing))})
        elif not permits(Operation.LOG_ACTION, roles):
            raise FormProblem({ids.ACTION_KEY: refusal(Operation.LOG_ACTION)})
        errors = validate_action_form(
            form, today=deps.today(), current_due=existing.due if existing else None
        )
        if (
            form.afi_id is not None
            and afi_in_review(session=session, review_id=review.id, afi_id=form.afi_id) is None
        ):
            errors[ids.ACTION_AFI] = "That area for improvement is no longer in this review."
        option_problem = _option_problem(session, review.id, form)
        if option_problem:
            errors[ids.ACTION_OPTION] = option_problem
        if errors:
            raise FormProblem(errors)
        if request_key and not mark_applied(
            session=session, key=f"action.save:{request_key}", now=deps.now()
        ):
            return  # this very submission was saved already
        if existing is None:
            action = add_action(
                session=session,
                review_id=review.id,
                fields=_fields_of(form),
                actor_id=user_id,
                now=deps.now(),
            )
            previous_owner = None
            set_action_option(session=session, action_id=action.id, finding_id=form.option_id)
        else:
            action, previous_owner = existing, existing.owner_id
            edit_action(
                session=session,
                action=action,
                fields=_fields_of(form),
                actor_id=user_id,
                now=deps.now(),
            )
            set_action_option(session=session, action_id=action.id, finding_id=form.option_id)
        _owe_follow_ups(
            session,
            review=review,
            action=action,
            user_id=user_id,
            previous_owner=previous_owner,
            editing=existing is not None,
            response_url=metadata.response_url,
        )


def _option_problem(session: Session, review_id: int, form: ActionForm) -> str | None:
    """Why the chosen option for improvement can't go with this action, if it can't."""
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
    action: Action,
    user_id: str,
    previous_owner: str | None,
    editing: bool,
    response_url: str | None,
) -> None:
    item = item_of(action)
    owe_card(
        session,
        review=review,
        action=action,
        if_undelivered={
            "user_id": user_id,
            "response_url": response_url,
            "text": f"Action {item.number} is saved, but I couldn't post its card.",
        },
    )
    if item.owner_id != user_id and item.owner_id != previous_owner:
        text, blocks = build_assignment_dm(
            item,
            assigned_by=user_id,
            channel_id=review.channel_id,
            host=review.host_council,
            edited=editing,
        )
        owe_direct_message(
            session,
            team_id=review.team_id,
            user_id=item.owner_id,
            text=text,
            blocks=blocks,
            if_undelivered={
                "user_id": user_id,
                "response_url": response_url,
                "text": f"Action {item.number} is saved, but I couldn't send "
                f"{mention(item.owner_id)} a direct message.",
            },
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


def owe_card(
    session: Session,
    *,
    review: Review,
    action: Action,
    if_undelivered: dict[str, str | None] | None = None,
) -> None:
    """Owe the action's card: posted in the review's channel the first time, then updated
    in place. Pending refreshes of one card coalesce; each shows the state when sent."""
    owe(
        session,
        team_id=review.team_id,
        kind=ACTION_CARD,
        lane=f"{ACTION_CARD}:{action.id}",
        payload={
            "action_id": action.id,
            "channel": action.channel_id or review.channel_id,
            "if_undelivered": if_undelivered,
        },
        key=f"{ACTION_CARD}:{action.id}",
    )


def deliver_card(delivery: Delivery) -> None:
    deps = delivery.deps
    action_id = int(delivery.payload["action_id"])
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        current = item_of(action) if action else None
    if current is None:
        return  # the action is gone: nothing to show
    text, blocks = build_action_card(current, zone=deps.settings.timezone)
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
    ts = None
    if delivery.may_have_reached_slack:
        ts = find_posted(
            delivery.client,
            channel=channel,
            event_type=OUTBOX_EVENT,
            key="item",
            value=delivery.item_id,
        )
    if ts is None:
        response = delivery.client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            metadata={"event_type": OUTBOX_EVENT, "event_payload": {"item": delivery.item_id}},
            unfurl_links=False,
            unfurl_media=False,
        )
        ts = str(response["ts"])
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        if action is not None:
            set_card(session=session, action=action, channel_id=channel, message_ts=ts)
