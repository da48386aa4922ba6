"""The outbox of Slack side effects: owing, claiming, finishing and forgetting items."""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Engine,
    Exists,
    Select,
    and_,
    bindparam,
    delete,
    func,
    insert,
    or_,
    select,
    text,
)
from sqlalchemy.orm import Session, aliased

from storage.models.outbox import OutboxItem, OutboxStatus
from storage.repositories._sql import rowcount, set_where, upsert_insert

ENQUEUED = "outbox_enqueued"  # session.info: the kinds owed, whose workers the commit wakes
# On PostgreSQL, a transaction that owes something notifies this channel as it commits, so a
# worker in another process (on any host) wakes at once rather than at its next look.
NOTIFY_CHANNEL = "psif_outbox"


_NOTIFIED = "outbox_notified"  # session.info: the transaction that has notified


def note_owed(session: Session, kind: str) -> None:
    """Mark the transaction as owing `kind` and, once per transaction, notify listening
    workers."""
    session.info.setdefault(ENQUEUED, set()).add(kind)
    current = session.get_transaction()
    if session.info.get(_NOTIFIED) is current or session.get_bind().dialect.name != "postgresql":
        return
    session.info[_NOTIFIED] = current
    session.execute(text(f"NOTIFY {NOTIFY_CHANNEL}"))  # delivered when it commits


def listen_for_owed(
    engine: Engine, *, heard: Callable[[], None], stopping: threading.Event, seconds: float
) -> None:
    """On PostgreSQL, call `heard` whenever a transaction that owes something commits, in any
    process, until `stopping` is set (looking every `seconds`). Returns at once elsewhere."""
    if engine.dialect.name != "postgresql":
        return
    import psycopg  # here: a SQLite process never loads it (~9 MiB)

    url = engine.url.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(url, autocommit=True) as connection:
        connection.execute(f"LISTEN {NOTIFY_CHANNEL}")
        while not stopping.is_set():
            for _notice in connection.notifies(timeout=seconds, stop_after=1):
                heard()


def enqueue(
    *,
    session: Session,
    team_id: str,
    kind: str,
    payload: dict[str, Any],
    now: datetime,
    lane: str,
    key: str | None = None,
    not_before: datetime | None = None,
    min_gap: float = 0.0,
) -> None:
    """Owe Slack a call, in the caller's transaction. A pending item with the same `key`
    takes the new payload instead (the newest state wins) and keeps its place; the unique
    index on pending keys makes that atomic when two transactions owe the same key."""
    note_owed(session, kind)
    values = pending_row(team_id, kind, lane, payload, now) | {
        "coalesce_key": key,
        "not_before": not_before or now,
        "min_gap": min_gap,
    }
    if key is None:
        session.add(OutboxItem(**values))
        return
    statement = upsert_insert(session)(OutboxItem).values(**values)
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[OutboxItem.coalesce_key],
            # Literally the index's predicate: PostgreSQL matches it as written.
            index_where=text("status = 'pending'"),
            set_={"payload": statement.excluded.payload},
        )
    )


def enqueue_each(
    *,
    session: Session,
    team_id: str,
    kind: str,
    payloads: Sequence[dict[str, Any]],
    now: datetime,
    lane: str,
) -> None:
    """Owe Slack several calls of one kind in one lane, in order, with one statement."""
    if not payloads:
        return
    note_owed(session, kind)
    session.execute(
        insert(OutboxItem), [pending_row(team_id, kind, lane, payload, now) for payload in payloads]
    )


def pending_row(
    team_id: str, kind: str, lane: str, payload: dict[str, Any], now: datetime
) -> dict[str, Any]:
    """A new item's row: due now, never tried."""
    return {
        "team_id": team_id,
        "kind": kind,
        "lane": lane[:200],
        "payload": payload,
        "status": OutboxStatus.PENDING.value,
        "attempts": 0,
        "not_before": now,
        "min_gap": 0.0,
        "created_at": now,
    }


def last_sent_at(*, session: Session, key: str) -> datetime | None:
    """When an item with this key was last delivered (for throttled kinds). Constant in
    cost: `finish` keeps only a throttled key's latest delivered item."""
    return session.scalar(
        select(func.max(OutboxItem.finished_at)).where(
            OutboxItem.coalesce_key == key, OutboxItem.status == OutboxStatus.SENT
        )
    )


def is_owed(*, session: Session, key: str) -> bool:
    """Whether an item with this key is still to be delivered (waiting or being sent)."""
    owed = (OutboxStatus.PENDING.value, OutboxStatus.SENDING.value)
    return bool(
        session.scalar(
            select(func.count())
            .select_from(OutboxItem)
            .where(OutboxItem.coalesce_key == key, OutboxItem.status.in_(owed))
        )
    )


def _busy_lanes(now: Any) -> Select[str]:
    """Lanes with an item in flight under a live lease."""
    return select(OutboxItem.lane).where(
        OutboxItem.status == OutboxStatus.SENDING, OutboxItem.claimed_until >= now
    )


def _ahead_in_lane(condition: Callable[[Any], ColumnElement[bool]]) -> Exists:
    """An earlier item in the same lane for which `condition` holds."""
    earlier = aliased(OutboxItem)
    same_lane = (earlier.lane == OutboxItem.lane, earlier.id < OutboxItem.id)
    return select(earlier.id).where(*same_lane, condition(earlier)).exists()


def _claim_statement() -> Select[OutboxItem]:
    now = bindparam("now", type_=OutboxItem.__table__.c.not_before.type)
    kinds: BindParameter[str] = bindparam("kinds", expanding=True)
    due = or_(
        and_(OutboxItem.status == OutboxStatus.PENDING, OutboxItem.not_before <= now),
        # A worker that died mid-delivery: its lease ran out.
        and_(OutboxItem.status == OutboxStatus.SENDING, OutboxItem.claimed_until < now),
    )
    held_up = _ahead_in_lane(
        lambda earlier: or_(
            and_(earlier.status == OutboxStatus.PENDING, earlier.not_before > now),
            # A kind another process delivers comes first in its lane.
            and_(
                earlier.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING]),
                earlier.kind.not_in(kinds),
            ),
        )
    )
    return (
        select(OutboxItem)
        .where(due, OutboxItem.kind.in_(kinds), OutboxItem.lane.not_in(_busy_lanes(now)), ~held_up)
        .order_by(OutboxItem.id)
        .limit(bindparam("limit"))
        .with_for_update(skip_locked=True)
    )


# Every outbox pass runs it (several per delivery), so it is built once.
_CLAIM = _claim_statement()


def claim_due(
    *, session: Session, now: datetime, lease: timedelta, limit: int, kinds: Sequence[str]
) -> list[OutboxItem]:
    """Claim up to `limit` due items of `kinds`, oldest first, skipping items another worker
    holds, lanes with an item in flight and items behind one of another kind (so each lane's
    items go out one at a time, in order, whichever process delivers each)."""
    claimed = list(session.scalars(_CLAIM, {"now": now, "limit": limit, "kinds": list(kinds)}))
    for item in claimed:
        if item.status == OutboxStatus.SENDING:
            item.last_error = "lease_expired"  # its worker died: it may have reached Slack
        item.status = OutboxStatus.SENDING
        item.claimed_until = now + lease
        item.attempts += 1
    return claimed


def finish(
    *,
    session: Session,
    item_id: int,
    status: OutboxStatus,
    now: datetime,
    error: str | None = None,
    retry_at: datetime | None = None,
) -> None:
    """Record what became of a delivery: sent, failed, or pending again until `retry_at`."""
    item = session.get(OutboxItem, item_id)
    if item is None:
        return
    item.status = status
    item.last_error = error[:200] if error else None
    item.claimed_until = None
    if status is OutboxStatus.PENDING:
        item.not_before = retry_at or now
        return
    item.finished_at = now
    if status is OutboxStatus.SENT and item.coalesce_key and item.min_gap:
        # Its earlier deliveries say nothing `last_sent_at` needs (a live tally has one for
        # each update of the vote).
        session.execute(
            delete(OutboxItem).where(
                OutboxItem.coalesce_key == item.coalesce_key,
                OutboxItem.status == OutboxStatus.SENT,
                OutboxItem.id < item.id,
            )
        )
        # Whatever is owed for this key now waits out the gap since this delivery.
        gap_ends = now + timedelta(seconds=item.min_gap)
        set_where(
            session,
            OutboxItem,
            OutboxItem.coalesce_key == item.coalesce_key,
            OutboxItem.status == OutboxStatus.PENDING,
            OutboxItem.not_before < gap_ends,
            not_before=gap_ends,
        )


def next_due_at(*, session: Session, now: datetime, kinds: Sequence[str]) -> datetime | None:
    """The earliest moment a pending item of `kinds` becomes due, counting only the first
    item to go in each free lane (one behind another waits for it, so counting it would
    have the worker spin)."""
    behind = _ahead_in_lane(lambda earlier: earlier.status == OutboxStatus.PENDING)
    return session.scalar(
        select(func.min(OutboxItem.not_before)).where(
            OutboxItem.status == OutboxStatus.PENDING,
            OutboxItem.kind.in_(list(kinds)),
            OutboxItem.lane.not_in(_busy_lanes(now)),
            ~behind,
        )
    )


def backlog(*, session: Session) -> tuple[int, datetime | None]:
    """How many items wait to be delivered, and when the oldest of them was owed."""
    count, oldest = session.execute(
        select(func.count(OutboxItem.id), func.min(OutboxItem.created_at)).where(
            OutboxItem.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
        )
    ).one()
    return int(count), oldest


def items(*, session: Session, statuses: Sequence[OutboxStatus] | None = None) -> list[OutboxItem]:
    query = select(OutboxItem).order_by(OutboxItem.id)
    if statuses:
        query = query.where(OutboxItem.status.in_(list(statuses)))
    return list(session.scalars(query))


def purge_finished(*, session: Session, before: datetime) -> int:
    """Forget delivered and failed items finished before `before`; return how many."""
    finished = OutboxItem.status.in_([OutboxStatus.SENT, OutboxStatus.FAILED])
    return rowcount(session, delete(OutboxItem).where(finished, OutboxItem.finished_at < before))
