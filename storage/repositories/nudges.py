"""The nudge ledger: record owed nudges once, claim them atomically, mark the outcome.

Claiming is one SELECT … `FOR UPDATE SKIP LOCKED` on PostgreSQL for a whole batch, so two
schedulers never claim the same row and never wait for each other; the claiming transaction
moves every row on (to the outbox, or skipped) before it commits. On SQLite every
transaction begins IMMEDIATE (storage/db.py), which serialises writers, so a batch is
atomic there too. Statements per batch are a handful, whatever its size.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from bot.core.nudges import CHANNEL, PlannedNudge
from storage.models.outbox import OutboxItem, OutboxStatus
from storage.models.reminders import Nudge, NudgeStatus
from storage.repositories.outbox import ENQUEUED

NudgeKey = tuple[int, str, date, str]


@dataclass(frozen=True)
class ClaimedNudge:
    id: int
    review_id: int
    rule: str
    day: date
    recipient: str
    zone: str
    useful_until: date
    payload: dict[str, Any]


def recorded_keys(*, session: Session, since: date) -> set[NudgeKey]:
    """Keys of every nudge recorded for a day on or after `since`, in any state."""
    rows = session.execute(
        select(Nudge.review_id, Nudge.rule, Nudge.day, Nudge.recipient).where(Nudge.day >= since)
    )
    return {(row.review_id, row.rule, row.day, row.recipient) for row in rows}


def statuses_for_review(*, session: Session, review_id: int, since: date) -> dict[NudgeKey, str]:
    rows = session.execute(
        select(Nudge.review_id, Nudge.rule, Nudge.day, Nudge.recipient, Nudge.status).where(
            Nudge.review_id == review_id, Nudge.day >= since
        )
    )
    return {(row.review_id, row.rule, row.day, row.recipient): row.status for row in rows}


def record_nudges(
    *,
    session: Session,
    nudges: Sequence[tuple[PlannedNudge, str, str | None]],
    zones: dict[int, str],
    now: datetime,
) -> None:
    """Record (nudge, status, reason) rows; a key already recorded (perhaps by another
    scheduler a moment ago) is left alone."""
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
            "status": status,
            "error": reason,
            "not_before": now,
            "attempts": 0,
            "created_at": now,
        }
        for nudge, status, reason in nudges
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(Nudge).on_conflict_do_nothing(
        index_elements=["review_id", "rule", "day", "recipient"]
    )
    session.connection().execute(statement, rows)


def claim_due(
    *, session: Session, now: datetime, zones: Iterable[str], limit: int
) -> list[ClaimedNudge]:
    """Take up to `limit` pending nudges that may go out now in one of `zones`, oldest first,
    in one statement. The rows stay locked until the caller's transaction ends (skipped by
    any other pass on PostgreSQL; SQLite serialises writers), and the caller moves every
    one of them on (sent, skipped, failed or later) before it commits."""
    rows = session.execute(
        select(
            Nudge.id,
            Nudge.review_id,
            Nudge.rule,
            Nudge.day,
            Nudge.recipient,
            Nudge.zone,
            Nudge.useful_until,
            Nudge.payload,
        )
        .where(
            Nudge.status == NudgeStatus.PENDING.value,
            Nudge.not_before <= now,
            Nudge.zone.in_(list(zones)),
        )
        .order_by(Nudge.id)
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return [
        ClaimedNudge(
            id=row.id,
            review_id=row.review_id,
            rule=row.rule,
            day=row.day,
            recipient=row.recipient,
            zone=row.zone,
            useful_until=row.useful_until,
            payload=dict(row.payload or {}),
        )
        for row in rows
    ]


@dataclass(frozen=True)
class OwedPost:
    """One outbox item delivering nudges: `lane` is its channel or user id."""

    team_id: str
    kind: str
    lane: str
    payload: dict[str, Any]


def owe_posts(*, session: Session, posts: Sequence[OwedPost], now: datetime) -> None:
    """Owe the outbox these posts in one statement, in the caller's transaction: the rows
    `outbox.enqueue` writes for items without a coalescing key, a pass's worth at once."""
    if not posts:
        return
    session.info[ENQUEUED] = True  # the commit wakes this process's outbox worker
    session.execute(
        insert(OutboxItem),
        [
            {
                "team_id": post.team_id,
                "kind": post.kind,
                "coalesce_key": None,
                "lane": post.lane[:200],
                "payload": post.payload,
                "status": OutboxStatus.PENDING.value,
                "attempts": 0,
                "not_before": now,
                "min_gap": 0.0,
                "created_at": now,
            }
            for post in posts
        ],
    )


def _set(session: Session, nudge_ids: Sequence[int], **values: Any) -> None:
    if nudge_ids:
        session.execute(
            update(Nudge)
            .where(Nudge.id.in_(list(nudge_ids)))
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def mark_sent(*, session: Session, nudge_ids: Sequence[int], now: datetime) -> None:
    """Handed to the outbox in this transaction: delivered from there, once."""
    _set(
        session,
        nudge_ids,
        status=NudgeStatus.SENT.value,
        sent_at=now,
        attempts=Nudge.attempts + 1,
        error=None,
    )


def mark_skipped(*, session: Session, nudge_ids: Sequence[int], reason: str) -> None:
    _set(session, nudge_ids, status=NudgeStatus.SKIPPED.value, error=reason)


def mark_failed(*, session: Session, nudge_ids: Sequence[int], error: str) -> None:
    _set(session, nudge_ids, status=NudgeStatus.FAILED.value, error=error[:64])


def record_posted(*, session: Session, nudge_ids: Sequence[int], ts: str) -> None:
    """The outbox posted the message delivering these nudges; `ts` finds it in Slack."""
    _set(session, nudge_ids, ts=ts)


def record_failed(*, session: Session, nudge_ids: Sequence[int], error: str) -> None:
    """Slack refused the message delivering these nudges for good."""
    mark_failed(session=session, nudge_ids=nudge_ids, error=error)


def retry_later(
    *, session: Session, nudge_id: int, error: str, not_before: datetime, zone: str
) -> None:
    """Back to pending until `not_before` and civil hours in `zone`."""
    # SQLite keeps wall-clock times without a zone, so every stored moment is UTC.
    _set(
        session,
        [nudge_id],
        status=NudgeStatus.PENDING.value,
        error=error,
        not_before=not_before.astimezone(UTC),
        zone=zone,
    )


def skip_pending_channel_nudges(*, session: Session, review_id: int, reason: str) -> None:
    """The channel can't be reached: stop its queued channel nudges (direct messages go on)."""
    session.execute(
        update(Nudge)
        .where(
            Nudge.review_id == review_id,
            Nudge.recipient == CHANNEL,
            Nudge.status == NudgeStatus.PENDING.value,
        )
        .values(status=NudgeStatus.SKIPPED.value, error=reason)
        .execution_options(synchronize_session=False)
    )
