"""The reminders' records: the nudge ledger (each owed nudge recorded once, claimed
atomically, its outcome marked), per-review mutes, unreachable channels, personal snoozes and
milestones recorded done. A batch is claimed with `FOR UPDATE SKIP LOCKED` on PostgreSQL (on
SQLite every transaction begins IMMEDIATE), and moved on before its transaction commits."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from bot.core.nudges import CHANNEL, PlannedNudge
from storage.models.outbox import OutboxItem
from storage.models.reminders import (
    CHANNEL_RECIPIENT,
    MilestoneDone,
    Nudge,
    NudgeStatus,
    ReminderMute,
    Snooze,
    UnreachableChannel,
)
from storage.models.reviews import Review
from storage.repositories._sql import added, all_of, rowcount, set_where, upsert_insert
from storage.repositories.outbox import note_owed, pending_row

ALL_RULES = "all"
NudgeKey = tuple[int, str, date, str]


def nudge_statuses(
    *, session: Session, since: date, review_id: int | None = None
) -> dict[NudgeKey, str]:
    """The state of every nudge recorded for a day on or after `since` (of one review, or
    all), by key."""
    query = select(Nudge.review_id, Nudge.rule, Nudge.day, Nudge.recipient, Nudge.status)
    query = query.where(Nudge.day >= since)
    if review_id is not None:
        query = query.where(Nudge.review_id == review_id)
    return {
        (row.review_id, row.rule, row.day, row.recipient): row.status
        for row in session.execute(query)
    }


def record_nudges(
    *,
    session: Session,
    nudges: Sequence[tuple[PlannedNudge, str | None]],
    zones: dict[int, str],
    now: datetime,
) -> None:
    """Record (nudge, reason it is skipped or None) rows, pending or skipped; a key already
    recorded (perhaps by another scheduler a moment ago) is left alone."""
    if not nudges:
        return
    rows = [
        {
            "review_id": nudge.review_id,
            "rule": nudge.rule,
            "day": nudge.day,
            "recipient": nudge.recipient,
            "zone": zones[nudge.review_id],
            "useful_until": nudge.useful_until,
            "payload": nudge.payload,
            "status": NudgeStatus.SKIPPED if reason else NudgeStatus.PENDING,
            "error": reason,
            "not_before": now,
            "attempts": 0,
            "created_at": now,
        }
        for nudge, reason in nudges
    ]
    statement = upsert_insert(session)(Nudge).on_conflict_do_nothing(
        index_elements=["review_id", "rule", "day", "recipient"]
    )
    session.connection().execute(statement, rows)


def claim_due(*, session: Session, now: datetime, zones: Iterable[str], limit: int) -> list[Nudge]:
    """Take up to `limit` pending nudges due now in one of `zones`, oldest first; they stay
    locked until the caller, which moves every one of them on, commits."""
    due = (Nudge.status == NudgeStatus.PENDING.value, Nudge.not_before <= now)
    query = select(Nudge).where(*due, Nudge.zone.in_(list(zones))).order_by(Nudge.id)
    return all_of(session, query.limit(limit).with_for_update(skip_locked=True))


def owe_posts(
    *, session: Session, kind: str, posts: Sequence[tuple[str, str, dict[str, Any]]], now: datetime
) -> None:
    """Owe the outbox these (workspace, lane, payload) posts in one statement, in the caller's
    transaction: the rows `outbox.enqueue` writes for items without a coalescing key."""
    if not posts:
        return
    note_owed(session, kind)  # wakes this process's worker, and on PostgreSQL every other's
    rows = [pending_row(team_id, kind, lane, payload, now) for team_id, lane, payload in posts]
    session.execute(insert(OutboxItem), rows)


def mark(*, session: Session, nudge_ids: Sequence[int], **values: Any) -> None:
    """Set `values` (status, error, ts …) on the nudges, in one statement."""
    if nudge_ids:
        set_where(session, Nudge, Nudge.id.in_(list(nudge_ids)), **values)


def open_stage_offers(*, session: Session, review_id: int) -> list[Nudge]:
    """The review's offers to move the stage on that reached a lead's direct messages (their
    ts known) and still show a button: not yet settled by a move (`settle_stage_offers`)."""
    sent = session.scalars(
        select(Nudge).where(
            Nudge.review_id == review_id,
            Nudge.rule.startswith("stage."),
            Nudge.recipient != CHANNEL_RECIPIENT,
            Nudge.status == NudgeStatus.SENT.value,
            Nudge.ts.is_not(None),
        )
    )
    return [nudge for nudge in sent if not nudge.payload.get("settled")]


def settle_stage_offers(offers: Sequence[Nudge]) -> None:
    """These offers' messages now say the move was made: a later move leaves them be."""
    for offer in offers:
        offer.payload = {**offer.payload, "settled": True}


def skip_pending_channel_nudges(*, session: Session, review_id: int, reason: str) -> None:
    """The channel can't be reached: stop its queued channel nudges (direct messages go on)."""
    where = (
        Nudge.review_id == review_id,
        Nudge.recipient == CHANNEL,
        Nudge.status == NudgeStatus.PENDING.value,
    )
    set_where(session, Nudge, *where, status=NudgeStatus.SKIPPED.value, error=reason)


def _sets_by_review(
    session: Session, model: type[ReminderMute | MilestoneDone], value: Any, review_ids: Any
) -> dict[int, frozenset[str]]:
    """`value` of the rows of each of `review_ids` (else of each open review) that has any."""
    query = select(model.review_id, value)
    if review_ids is None:
        query = query.join(Review, Review.id == model.review_id).where(Review.closed_at.is_(None))
    else:
        query = query.where(model.review_id.in_(list(review_ids)))
    found: dict[int, set[str]] = defaultdict(set)
    for review_id, found_value in session.execute(query):
        found[review_id].add(found_value)
    return {review_id: frozenset(values) for review_id, values in found.items()}


def mute(*, session: Session, review_id: int, rule: str, actor_id: str, now: datetime) -> bool:
    """Mute a rule (or ALL_RULES) for a review; False if it was already muted."""
    if session.scalar(
        select(ReminderMute.id).where(
            ReminderMute.review_id == review_id, ReminderMute.rule == rule
        )
    ):
        return False
    muted = ReminderMute(review_id=review_id, rule=rule, muted_by=actor_id, muted_at=now)
    return added(session, muted)


def unmute(*, session: Session, review_id: int, rule: str) -> bool:
    """Unmute one rule, or with ALL_RULES every mute; False if nothing was muted."""
    statement = delete(ReminderMute).where(ReminderMute.review_id == review_id)
    if rule != ALL_RULES:
        statement = statement.where(ReminderMute.rule == rule)
    return bool(rowcount(session, statement))


def muted_rules(*, session: Session, review_id: int | None = None) -> dict[int, frozenset[str]]:
    """The muted rule names of one review, or of every open review, for each that has any."""
    review_ids = None if review_id is None else [review_id]
    return _sets_by_review(session, ReminderMute, ReminderMute.rule, review_ids)


def mark_channel_unreachable(
    *, session: Session, review_id: int, error: str, now: datetime
) -> bool:
    """Record the channel as unreachable; True only for the caller that recorded it first
    (so the host lead is told once, even with two schedulers)."""
    return added(session, UnreachableChannel(review_id=review_id, error=error, since=now))


def clear_channel_unreachable(*, session: Session, review_id: int) -> bool:
    statement = delete(UnreachableChannel).where(UnreachableChannel.review_id == review_id)
    return bool(rowcount(session, statement))


def unreachable_channels(*, session: Session) -> dict[int, str]:
    """Slack's error for each review whose channel is out of reach."""
    rows = session.execute(select(UnreachableChannel.review_id, UnreachableChannel.error))
    return {row.review_id: row.error for row in rows}


def set_snooze(*, session: Session, user_id: str, paused_through: date, now: datetime) -> None:
    snooze = session.get(Snooze, user_id)
    if snooze is None:
        session.add(Snooze(user_id=user_id, paused_through=paused_through, set_at=now))
    else:
        snooze.paused_through, snooze.set_at = paused_through, now
    session.flush()


def clear_snooze(*, session: Session, user_id: str) -> bool:
    return bool(rowcount(session, delete(Snooze).where(Snooze.user_id == user_id)))


def snoozes_running(*, session: Session, today: date) -> dict[str, date]:
    """The last paused day of each snooze still running on `today`, by user."""
    rows = session.execute(
        select(Snooze.user_id, Snooze.paused_through).where(Snooze.paused_through >= today)
    )
    return {row.user_id: row.paused_through for row in rows}


def record_done(
    *, session: Session, review_id: int, milestone: str, actor_id: str, now: datetime
) -> bool:
    """Record a milestone done; False if it already was."""
    done = MilestoneDone(review_id=review_id, milestone=milestone, done_by=actor_id, done_at=now)
    return added(session, done)


def done_milestones(*, session: Session, review_id: int) -> frozenset[str]:
    return frozenset(
        session.scalars(select(MilestoneDone.milestone).where(MilestoneDone.review_id == review_id))
    )


def done_milestones_of(
    *, session: Session, review_ids: Sequence[int] | None = None
) -> dict[int, frozenset[str]]:
    """Milestones recorded done, for each of `review_ids` (else each open review) that has any."""
    return _sets_by_review(session, MilestoneDone, MilestoneDone.milestone, review_ids)


def milestones_done_at(*, session: Session, review_id: int) -> dict[str, datetime]:
    """When each milestone of the review was recorded done."""
    rows = session.execute(
        select(MilestoneDone.milestone, MilestoneDone.done_at).where(
            MilestoneDone.review_id == review_id
        )
    )
    return {row.milestone: row.done_at for row in rows}
