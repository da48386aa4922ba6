"""Fieldwork use cases: see the plan, plan / edit / move / cancel a session.

Each use case checks and saves in one transaction, and in that same transaction owes its
Slack effects through the outbox (`_owe_change`): the schedule message updated in place, DMs
to the people running the sessions, and the answer to whoever made the change.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.errors import FormErrors, Refusal
from bot.core.fieldwork import AfiLabel, SessionItem
from bot.core.permissions import Operation, refusal
from bot.deps import Deps
from bot.fieldwork.modal import SessionMetadata, build_session_modal
from bot.fieldwork.rules import SessionForm, may_plan_sessions, sessions_run_by, validate_session
from bot.fieldwork.views import build_my_sessions, build_plan, build_schedule
from bot.findings.rules import may_see_findings
from bot.review_access import get_review, open_review_by_id, require, review_in_channel, roles
from bot.slack.blocks import Block
from bot.slack.calls import slack_error
from bot.slack.outbox import Delivery, Kind, owe_answer, owe_direct_message
from bot.slack.text import mention
from storage.db import transaction
from storage.models.fieldwork import FieldworkSession
from storage.models.reviews import Review
from storage.repositories import fieldwork as store
from storage.repositories.afi_lineage import current_afis
from storage.repositories.afis import list_afis
from storage.repositories.requests import mark_applied
from storage.repositories.reviews import record_audit

logger = logging.getLogger(__name__)

LEADS_ONLY = refusal(Operation.PLAN_FIELDWORK)
TEAM_ONLY = refusal(Operation.RECORD_FINDING)
SESSION_GONE = "That session no longer exists."


@dataclass(frozen=True)
class Change:
    """A saved change to the plan and whom it concerns."""

    review_id: int
    item: SessionItem
    verb: str  # "planned", "changed" or "cancelled"
    actor_id: str
    runners_before: tuple[str, ...] = ()


def window(review: Review) -> tuple[date, date] | None:
    if review.fieldwork_start is None:
        return None
    return review.fieldwork_start, review.fieldwork_end or review.fieldwork_start


def show_plan(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str
) -> tuple[str, list[Block]]:
    """`/psif fieldwork`: the plan, with controls for the leads."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        held = roles(review, user_id)
        require(may_see_findings(held), TEAM_ONLY)
        items = store.session_items(session=session, review_id=review.id)
        return build_plan(
            items, review_id=review.id, window=window(review), can_plan=may_plan_sessions(held)
        )


def _afi_choices(
    session: Session, review_id: int, keep: tuple[AfiLabel, ...] = ()
) -> tuple[list[AfiLabel], bool]:
    """The prioritised AFIs (or every active one before prioritisation), plus `keep`."""
    active = list_afis(session=session, review_id=review_id)
    prioritised = sorted(
        (afi for afi in active if afi.prioritised), key=lambda afi: (afi.rank or 0, afi.number)
    )
    chosen = prioritised or active
    labels = [AfiLabel(afi.id, afi.number, afi.text) for afi in chosen]
    labels += [label for label in keep if label not in labels]
    return labels, bool(prioritised)


def _planned_row(session: Session, session_id: int) -> tuple[FieldworkSession, Review]:
    row = store.get_session(session=session, session_id=session_id)
    if row is None:
        raise Refusal(SESSION_GONE)
    review = open_review_by_id(session, row.review_id)
    if row.status != "planned":
        raise Refusal(f"Session {row.number} was cancelled; plan a new one instead.")
    return row, review


def session_form(
    deps: Deps,
    *,
    user_id: str,
    team_id: str = "",
    channel_id: str = "",
    review_id: int | None = None,
    session_id: int | None = None,
    response_url: str | None = None,
) -> Block:
    """The modal to plan a session (in the channel's review or `review_id`) or edit one."""
    with transaction(deps.sessions) as session:
        existing: SessionItem | None = None
        if session_id is not None:
            row, review = _planned_row(session, session_id)
            existing = store.item_of(row, current_afis(session=session, review_id=review.id))
        elif review_id is not None:
            review = open_review_by_id(session, review_id)
        else:
            review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        require(may_plan_sessions(roles(review, user_id)), LEADS_ONLY)
        afis, prioritised = _afi_choices(session, review.id, existing.afis if existing else ())
        metadata = SessionMetadata(
            review_id=review.id,
            session_id=existing.id if existing else None,
            response_url=response_url,
        )
        return build_session_modal(
            metadata=metadata,
            afis=afis,
            prioritised=prioritised,
            window=window(review),
            planner=user_id,
            existing=existing,
        )


def save_session(
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
        require(may_plan_sessions(roles(review, user_id)), LEADS_ONLY)
        row: FieldworkSession | None = None
        if metadata.session_id is not None:
            row, owner = _planned_row(session, metadata.session_id)
            require(owner.id == review.id, SESSION_GONE)
        afis, _ = _afi_choices(session, review.id)
        checked = validate_session(
            form,
            fieldwork=window(review),
            team=store.team_ids(review),
            afi_ids=frozenset(afi.id for afi in afis) | _kept_afis(session, row),
        )
        if isinstance(checked, dict):
            raise FormErrors(checked)
        if request_key and not mark_applied(
            session=session, key=f"fieldwork.session:{request_key}", now=now
        ):
            return
        before: tuple[str, ...] = ()
        if row is None:
            row = store.add_session(
                session=session, review_id=review.id, fields=checked, actor_id=user_id, now=now
            )
            verb = "planned"
        else:
            before = tuple(link.user_id for link in row.runner_links)
            store.edit_session(session=session, row=row, fields=checked, now=now)
            verb = "changed"
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action=f"fieldwork.session_{verb}",
            details={"number": row.number, "day": checked.day.isoformat()},
            now=now,
        )
        item = store.item_of(row, current_afis(session=session, review_id=review.id))
        _owe_change(session, review, Change(review.id, item, verb, user_id, before))
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Saved: {item.label}. The schedule in the channel is updated.",
        )


def _kept_afis(session: Session, row: FieldworkSession | None) -> frozenset[int]:
    """An edited session may keep the areas it already probes."""
    if row is None:
        return frozenset()
    afis = current_afis(session=session, review_id=row.review_id)
    return frozenset(afis[link.afi_id].id for link in row.afi_links if link.afi_id in afis)


def cancel_session(deps: Deps, *, session_id: int, user_id: str) -> str:
    """Cancel a planned session; what to tell whoever cancelled it."""
    now = deps.now()
    with transaction(deps.sessions) as session:
        row, review = _planned_row(session, session_id)
        require(may_plan_sessions(roles(review, user_id)), LEADS_ONLY)
        store.cancel_session(session=session, row=row, now=now)
        record_audit(
            session=session,
            review=review,
            actor_id=user_id,
            action="fieldwork.session_cancelled",
            details={"number": row.number},
            now=now,
        )
        item = store.item_of(row, current_afis(session=session, review_id=review.id))
        _owe_change(session, review, Change(review.id, item, "cancelled", user_id, item.runners))
        return f"Cancelled {item.label}. The schedule and its team are updated."


FIELDWORK_SCHEDULE = "fieldwork_schedule"


def _owe_change(session: Session, review: Review, change: Change) -> None:
    """Owe the schedule message (updated in place) and the DMs to those concerned, in the
    transaction that saved the change; the outbox refreshes the schedule from the latest plan."""
    items = store.session_items(session=session, review_id=review.id)
    FIELDWORK_SCHEDULE_KIND.owe(
        session,
        team_id=review.team_id,
        lane=f"{FIELDWORK_SCHEDULE}:{review.id}",
        key=f"{FIELDWORK_SCHEDULE}:{review.id}",
        payload={"review_id": review.id, "channel": review.channel_id},
    )
    item = change.item
    note = f"{mention(change.actor_id)} {change.verb} {item.label}."
    for user_id in dict.fromkeys((*change.runners_before, *item.runners)):
        dm_text, dm_blocks = build_my_sessions(
            sessions_run_by(user_id, items),
            host_council=review.host_council,
            channel_id=review.channel_id,
            change=note,
        )
        owe_direct_message(
            session, team_id=review.team_id, user_id=user_id, text=dm_text, blocks=dm_blocks
        )


def deliver_schedule(delivery: Delivery) -> None:
    """Bring the channel's schedule message in line with the plan: in place, or afresh if
    it was deleted (or never posted)."""
    review_id = int(delivery.payload["review_id"])
    with transaction(delivery.deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None:
            return
        items = store.session_items(session=session, review_id=review.id)
        where = store.schedule_message(session=session, review_id=review.id)
        text, blocks = build_schedule(
            items, host_council=review.host_council, focus=review.focus, window=window(review)
        )
        channel_id = review.channel_id
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
