"""Fieldwork use cases (guidance §5.3): see the plan, plan / edit / move / cancel a session.
Each saves in one transaction that also owes its Slack effects: the channel's schedule
message updated in place, DMs to those running the sessions, and the answer."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from pydantic import AliasChoices, Field
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.calendar import format_date, format_date_range
from bot.core.errors import FormErrors, Refusal
from bot.core.fieldwork import (
    LENGTHS,
    MAX_PARTICIPANTS,
    PARTICIPANTS_MAX,
    START_MINUTES,
    AfiLabel,
    FieldworkKind,
    FieldworkMode,
    FieldworkSessionFields,
    FieldworkSessionItem,
    FieldworkStatus,
)
from bot.core.findings import mentions_a_person
from bot.core.permissions import REVIEW_TEAM, Operation, permits, refusal
from bot.deps import Deps
from bot.fieldwork.views import (
    build_my_sessions,
    build_plan,
    build_schedule,
    build_schedule_changed,
    build_session_modal,
    in_order,
)
from bot.review_access import get_review, open_review_by_id, review_in_channel, roles
from bot.slack import ids
from bot.slack.blocks import Block, input_values
from bot.slack.calls import slack_error
from bot.slack.outbox import Delivery, Kind, owe_answer, owe_direct_message
from bot.slack.payloads import Metadata, RecordId, ResponseUrl, whole_number
from bot.slack.text import mention
from storage.db import transaction
from storage.models.fieldwork import FieldworkSession
from storage.models.reviews import Review
from storage.repositories import fieldwork as store
from storage.repositories.afis import current_afis, list_afis
from storage.repositories.requests import mark_applied
from storage.repositories.reviews import audit
from storage.repositories.team import host_participants_sent_the_schedule

SESSION_GONE = "That session no longer exists."
FIELDWORK_SCHEDULE = "fieldwork_schedule"


class SessionMetadata(Metadata):
    """What the session form carries between Slack round trips."""

    review_id: RecordId
    # Forms opened before fieldwork sessions were named so carry the id as "session_id".
    fieldwork_session_id: RecordId | None = Field(
        default=None, validation_alias=AliasChoices("fieldwork_session_id", "session_id")
    )
    response_url: ResponseUrl | None = None


@dataclass(frozen=True)
class SessionForm:
    """The session form's values as submitted, before they are checked."""

    kind: str | None = None
    day: date | None = None
    start: str | None = None
    length: str | None = None
    afi_ids: tuple[int, ...] = ()
    runners: tuple[str, ...] = ()
    participants: str = ""
    participant_count: str = ""
    mode: str | None = None

    @classmethod
    def of(cls, values: dict[str, dict[str, Any]]) -> SessionForm:
        """The form from `view.state.values`, whatever Slack left empty."""
        value = input_values(values)
        try:
            day = date.fromisoformat(value.get(ids.FIELDWORK_DAY) or "")
        except (TypeError, ValueError):
            day = None
        return cls(
            kind=value.get(ids.FIELDWORK_KIND),
            day=day,
            start=value.get(ids.FIELDWORK_START),
            length=value.get(ids.FIELDWORK_LENGTH),
            afi_ids=tuple(
                n for raw in value.get(ids.FIELDWORK_AFIS) or [] if (n := whole_number(raw))
            ),
            runners=tuple(value.get(ids.FIELDWORK_RUNNERS) or []),
            participants=value.get(ids.FIELDWORK_PARTICIPANTS) or "",
            participant_count=value.get(ids.FIELDWORK_COUNT) or "",
            mode=value.get(ids.FIELDWORK_MODE),
        )

    def checked(
        self,
        *,
        fieldwork: tuple[date, date] | None,
        team: frozenset[str],
        afi_ids: frozenset[int],
    ) -> FieldworkSessionFields:
        """The session to store; FormErrors keyed by input block id if it can't be."""
        errors: dict[str, str] = {}
        kind = FieldworkKind(self.kind) if self.kind in set(FieldworkKind) else None
        mode = FieldworkMode(self.mode) if self.mode in set(FieldworkMode) else None
        if kind is None:
            errors[ids.FIELDWORK_KIND] = "Choose the kind of session."
        if mode is None:
            errors[ids.FIELDWORK_MODE] = "Say whether it's in person or remote."
        if fieldwork is None:
            errors[ids.FIELDWORK_DAY] = (
                "The review has no fieldwork dates yet, so sessions can't be placed. Agree them "
                "first (`/psif status` shows the timeline)."
            )
        elif self.day is None:
            errors[ids.FIELDWORK_DAY] = "Choose the day."
        elif not fieldwork[0] <= self.day <= fieldwork[1]:
            errors[ids.FIELDWORK_DAY] = (
                f"{format_date(self.day)} is outside fieldwork "
                f"({format_date_range(*fieldwork)}). Choose a day within it."
            )
        start = whole_number((self.start or "").strip(), digits=6)
        if start not in START_MINUTES:
            errors[ids.FIELDWORK_START] = "Choose the start time."
        length = whole_number((self.length or "").strip(), digits=6)
        if length not in LENGTHS:
            errors[ids.FIELDWORK_LENGTH] = "Choose how long it lasts."
        if not self.afi_ids:
            errors[ids.FIELDWORK_AFIS] = (
                "Choose at least one area for improvement the session probes."
            )
        elif not afi_ids.issuperset(self.afi_ids):
            errors[ids.FIELDWORK_AFIS] = (
                "An area you chose has since been withdrawn or merged; choose again."
            )
        outsiders = [user for user in self.runners if user not in team]
        if not self.runners:
            errors[ids.FIELDWORK_RUNNERS] = "Choose who runs the session."
        elif outsiders:
            errors[ids.FIELDWORK_RUNNERS] = (
                "Sessions are run by the review team; "
                + ", ".join(f"<@{user}>" for user in outsiders)
                + " isn't on it."
            )
        participants = self.participants.strip()
        if not participants:
            errors[ids.FIELDWORK_PARTICIPANTS] = (
                "Describe who takes part, for example “depot supervisors”."
            )
        elif len(participants) > PARTICIPANTS_MAX:
            errors[ids.FIELDWORK_PARTICIPANTS] = (
                f"Keep the description to {PARTICIPANTS_MAX} characters."
            )
        elif mentions_a_person(participants):
            errors[ids.FIELDWORK_PARTICIPANTS] = (
                "Describe who takes part as a group (for example “frontline roads staff”), "
                "never by name: take out the @mention."
            )
        count = whole_number(self.participant_count.strip(), digits=6)
        if count is None or not 1 <= count <= MAX_PARTICIPANTS:
            errors[ids.FIELDWORK_COUNT] = (
                f"Give how many people take part, as a number from 1 to {MAX_PARTICIPANTS}."
            )
        if errors:
            raise FormErrors(errors)
        assert kind and mode and self.day and start is not None and length and count
        return FieldworkSessionFields(
            kind=kind,
            day=self.day,
            start_minute=start,
            minutes=length,
            afi_ids=tuple(dict.fromkeys(self.afi_ids)),
            runners=tuple(dict.fromkeys(self.runners)),
            participants=participants,
            participant_count=count,
            mode=mode,
        )


def _require(review: Review, user_id: str, operation: Operation) -> None:
    if not permits(operation, roles(review, user_id)):
        raise Refusal(refusal(operation))


def _window(review: Review) -> tuple[date, date] | None:
    if review.fieldwork_start is None:
        return None
    return review.fieldwork_start, review.fieldwork_end or review.fieldwork_start


def show_plan(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str
) -> tuple[str, list[Block]]:
    """`/psif fieldwork`: the plan, with controls for leads; only for those who may record
    findings, as what interviews learn stays with the review team (guidance §2)."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.RECORD_FINDING)
        items = store.fieldwork_session_items(session=session, review_id=review.id)
        can_plan = permits(Operation.PLAN_FIELDWORK, roles(review, user_id))
        return build_plan(items, review_id=review.id, window=_window(review), can_plan=can_plan)


def _afi_choices(
    session: Session, review_id: int, keep: tuple[AfiLabel, ...] = ()
) -> tuple[list[AfiLabel], bool]:
    """The prioritised AFIs (or every active one before prioritisation), plus `keep`: an
    edited session may keep the areas it already probes."""
    active = list_afis(session=session, review_id=review_id)
    prioritised = sorted(
        (afi for afi in active if afi.prioritised), key=lambda afi: (afi.rank or 0, afi.number)
    )
    labels = [AfiLabel(afi.id, afi.number, afi.text) for afi in prioritised or active]
    return labels + [label for label in keep if label not in labels], bool(prioritised)


def _planned(
    session: Session, fieldwork_session_id: int
) -> tuple[FieldworkSession, FieldworkSessionItem, Review]:
    """A planned session, as a row and as an item, and its open review."""
    row = store.get_fieldwork_session(session=session, fieldwork_session_id=fieldwork_session_id)
    if row is None:
        raise Refusal(SESSION_GONE)
    review = open_review_by_id(session, row.review_id)
    if row.status != FieldworkStatus.PLANNED:
        raise Refusal(f"Session {row.number} was cancelled; plan a new one instead.")
    return row, _item(session, review, row), review


def _item(session: Session, review: Review, row: FieldworkSession) -> FieldworkSessionItem:
    linked = [link.afi_id for link in row.afi_links]
    afis = current_afis(session=session, review_id=review.id, only=linked)
    return store.fieldwork_session_item(row, afis)


def fieldwork_session_form(
    deps: Deps,
    *,
    user_id: str,
    team_id: str = "",
    channel_id: str = "",
    review_id: int | None = None,
    fieldwork_session_id: int | None = None,
    response_url: str | None = None,
) -> Block:
    """The form to plan a session (in the channel's review or `review_id`) or to edit one."""
    with transaction(deps.sessions) as session:
        existing: FieldworkSessionItem | None = None
        if fieldwork_session_id is not None:
            _, existing, review = _planned(session, fieldwork_session_id)
        elif review_id is not None:
            review = open_review_by_id(session, review_id)
        else:
            review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        _require(review, user_id, Operation.PLAN_FIELDWORK)
        afis, prioritised = _afi_choices(session, review.id, existing.afis if existing else ())
        metadata = SessionMetadata(
            review_id=review.id,
            fieldwork_session_id=existing.id if existing else None,
            response_url=response_url,
        )
        return build_session_modal(
            private_metadata=metadata.dump(),
            afis=afis,
            prioritised=prioritised,
            window=_window(review),
            planner=user_id,
            existing=existing,
        )


def save_fieldwork_session(
    deps: Deps,
    *,
    metadata: SessionMetadata,
    form: SessionForm,
    user_id: str,
    request_key: str | None,
) -> None:
    """Plan or change a session; FormErrors for the form, Refusal if the user may not. The
    same form delivered twice saves once."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = open_review_by_id(session, metadata.review_id)
        _require(review, user_id, Operation.PLAN_FIELDWORK)
        row: FieldworkSession | None = None
        afi_ids = {afi.id for afi in _afi_choices(session, review.id)[0]}
        if metadata.fieldwork_session_id is not None:
            row, _, owner = _planned(session, metadata.fieldwork_session_id)
            if owner.id != review.id:
                raise Refusal(SESSION_GONE)
            # An edited session may keep the areas it probes, as they count now.
            linked = [link.afi_id for link in row.afi_links]
            now_as = current_afis(session=session, review_id=review.id, only=linked)
            afi_ids |= {now_as[link.afi_id].id for link in row.afi_links if link.afi_id in now_as}
        team = {role.value for role in REVIEW_TEAM}
        checked = form.checked(
            fieldwork=_window(review),
            team=frozenset(m.user_id for m in review.members if m.role in team),
            afi_ids=frozenset(afi_ids),
        )
        if request_key and not mark_applied(
            session=session, key=f"fieldwork.session:{request_key}", now=now
        ):
            return
        runners_before: tuple[str, ...] = ()
        if row is None:
            row = store.add_fieldwork_session(
                session=session, review_id=review.id, fields=checked, actor_id=user_id, now=now
            )
            verb = "planned"
        else:
            runners_before = tuple(link.user_id for link in row.runner_links)
            store.edit_fieldwork_session(session=session, row=row, fields=checked, now=now)
            verb = "changed"
        item = _item(session, review, row)
        day = checked.day.isoformat()
        _record_change(session, review, item, user_id, verb, runners_before, deps, now, day=day)
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Saved: {item.label}. The schedule in the channel is updated.",
        )


def cancel_fieldwork_session(deps: Deps, *, fieldwork_session_id: int, user_id: str) -> str:
    """Cancel a planned session; what to tell whoever cancelled it."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        row, item, review = _planned(session, fieldwork_session_id)
        _require(review, user_id, Operation.PLAN_FIELDWORK)
        store.cancel_fieldwork_session(session=session, row=row, now=now)
        _record_change(session, review, item, user_id, "cancelled", item.runners, deps, now)
        return f"Cancelled {item.label}. The schedule and its team are updated."


def _record_change(
    session: Session,
    review: Review,
    item: FieldworkSessionItem,
    user_id: str,
    verb: str,
    runners_before: tuple[str, ...],
    deps: Deps,
    now: datetime,
    **details: str,
) -> None:
    """Audit the change; owe the channel's schedule refreshed, DMs to those running the
    session before and after, and the new schedule to host participants who had it."""
    audit(
        session,
        review,
        user_id,
        f"fieldwork.session_{verb}",
        {"number": item.number, **details},
        now,
    )
    FIELDWORK_SCHEDULE_KIND.owe(
        session,
        team_id=review.team_id,
        lane=f"{FIELDWORK_SCHEDULE}:{review.id}",
        key=f"{FIELDWORK_SCHEDULE}:{review.id}",
        payload={"review_id": review.id, "channel": review.channel_id},
    )
    items = store.fieldwork_session_items(session=session, review_id=review.id)
    change = f"{mention(user_id)} {verb} {item.label}."
    for runner in dict.fromkeys((*runners_before, *item.runners)):
        text, blocks = build_my_sessions(
            in_order([each for each in items if runner in each.runners and not each.cancelled]),
            host_council=review.host_council,
            channel_id=review.channel_id,
            change=change,
        )
        owe_direct_message(
            session, team_id=review.team_id, user_id=runner, text=text, blocks=blocks
        )
    participants = host_participants_sent_the_schedule(session=session, review_id=review.id)
    if participants:
        text, blocks = build_schedule_changed(
            fieldwork_schedule(session=session, review=review, today=deps.today(), items=items),
            change,
        )
        for participant in participants:
            owe_direct_message(
                session, team_id=review.team_id, user_id=participant, text=text, blocks=blocks
            )


def fieldwork_schedule(
    *,
    session: Session,
    review: Review,
    today: date | None,
    items: Sequence[FieldworkSessionItem] | None = None,
) -> tuple[str, list[Block]]:
    """The schedule as the channel shows it (with `today`: a copy as it stands that day, for
    host participants outside the channel); `items` if already read."""
    return build_schedule(
        store.fieldwork_session_items(session=session, review_id=review.id)
        if items is None
        else items,
        host_council=review.host_council,
        focus=review.focus,
        window=_window(review),
        as_of=today,
    )


def deliver_schedule(delivery: Delivery) -> None:
    """Bring the channel's schedule message in line with the plan: in place, or afresh if
    it was deleted (or never posted)."""
    review_id = int(delivery.payload["review_id"])
    with transaction(delivery.deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None:
            return
        text, blocks = fieldwork_schedule(session=session, review=review, today=None)
        channel_id = review.channel_id
        where = store.schedule_message(session=session, review_id=review.id)
        posted = (where.channel_id, where.ts) if where else None
    if posted is not None:
        try:
            delivery.client.chat_update(channel=posted[0], ts=posted[1], text=text, blocks=blocks)
            return
        except SlackApiError as error:
            if slack_error(error) not in ("message_not_found", "cant_update_message"):
                raise
    response = delivery.client.chat_postMessage(
        channel=channel_id, text=text, blocks=blocks, unfurl_links=False, unfurl_media=False
    )
    with transaction(delivery.deps.sessions) as session:
        store.remember_schedule_message(
            session=session, review_id=review_id, channel_id=channel_id, ts=str(response["ts"])
        )


FIELDWORK_SCHEDULE_KIND = Kind(FIELDWORK_SCHEDULE, deliver_schedule)
