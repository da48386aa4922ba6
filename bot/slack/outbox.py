"""The outbox worker: claims due items, makes their Slack calls, records what happened.

A service writes an item in the transaction that saves a change (`storage.repositories.
outbox.enqueue`); the commit wakes the worker (`Deps.outbox`). The client waits out one 429
and retries one 5xx itself; whatever still fails is tried again later with backoff, so a slow
or failing Slack never holds a listener, and an item ends either sent or failed with a reason.
Each process (web workers, the scheduler) runs one worker; items are claimed with row locks
(`FOR UPDATE SKIP LOCKED` on PostgreSQL) and a lease, so two workers never deliver one item
and a worker that dies mid-delivery leaves its items to the next.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.slack.failures import Failure, classify
from storage.db import transaction
from storage.models.outbox import OutboxStatus
from storage.repositories.outbox import (
    claim_due,
    enqueue,
    finish,
    last_sent_at,
    next_due_at,
    purge_finished,
)
from storage.repositories.requests import forget_applied

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 20
# Backoff after each failed attempt, as multiples of the configured base delay; after the
# last the item is failed for good.
BACKOFF_STEPS = (1, 3, 12, 60, 180, 600, 1800)
# Failures after which Slack may have done the call although we got no answer.
AMBIGUOUS = frozenset({"timeout", "network", "lease_expired"})


def wall_clock() -> datetime:
    return datetime.now(UTC)


class Undeliverable(Exception):
    """A kind found the item can never be delivered (its subject is gone, say)."""


@dataclass
class Delivery:
    """One item being delivered, as a kind's function sees it."""

    item_id: int
    kind: str
    team_id: str
    payload: dict[str, Any]
    attempts: int
    previous_error: str | None
    client: WebClient
    deps: Deps

    @property
    def may_have_reached_slack(self) -> bool:
        """An earlier attempt timed out or its worker died: look before posting again."""
        return self.attempts > 1 and (self.previous_error or "") in AMBIGUOUS


Deliver = Callable[[Delivery], None]
FailureNotice = Callable[[Delivery, str], None]


@dataclass
class OutboxWorker:
    """Delivers the outbox for one process. `start` runs passes in a thread whenever a
    commit enqueues something (and every `poll_seconds` anyway); each pass hands every lane
    it claimed to a small pool, so a slow conversation never holds up the others."""

    deps: Deps
    kinds: Mapping[str, Deliver]
    client_for: Callable[[str], WebClient]
    on_failure: FailureNotice | None = None
    clock: Callable[[], datetime] = wall_clock
    poll_seconds: float = 5.0
    lanes_at_once: int = 8
    _thread: threading.Thread | None = field(default=None, init=False)
    _pool: ThreadPoolExecutor | None = field(default=None, init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _wake: threading.Event = field(default_factory=threading.Event, init=False)

    def start(self) -> None:
        if self._thread is not None:
            return
        self._pool = ThreadPoolExecutor(self.lanes_at_once, thread_name_prefix="psif-outbox-lane")
        self._thread = threading.Thread(target=self._run, name="psif-outbox", daemon=True)
        self.deps.outbox.subscribe(self._wake.set)
        self._thread.start()

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    def _run(self) -> None:
        while not self._stopping.is_set():
            self._wake.clear()
            try:
                lanes = self._claim()
            except Exception:  # a database hiccup: log, wait, try again
                logger.exception("outbox pass failed")
                lanes = []
            pool = self._pool
            for lane in lanes:
                if pool is None:
                    break
                pool.submit(self._deliver_lane, lane)
            if not lanes:
                self._wake.wait(self._seconds_until_due())

    def _deliver_lane(self, lane: list[Delivery]) -> None:
        try:
            for delivery in lane:
                self._deliver_one(delivery)
        finally:
            self._wake.set()  # the lane is free again: its next items may be due

    def _seconds_until_due(self) -> float:
        try:
            with transaction(self.deps.sessions) as session:
                due = next_due_at(session=session, now=self.clock())
        except Exception:
            return self.poll_seconds
        if due is None:
            return self.poll_seconds
        if due.tzinfo is None:  # SQLite hands back naive UTC
            due = due.replace(tzinfo=UTC)
        return max(0.0, min(self.poll_seconds, (due - self.clock()).total_seconds()))

    def deliver_due(self) -> int:
        """One pass in the calling thread: deliver what is due now, lane by lane; return how
        many items were attempted (the scheduler's `--once` and tests use this)."""
        lanes = self._claim()
        for lane in lanes:
            self._deliver_lane(lane)
        return sum(len(lane) for lane in lanes)

    def _claim(self) -> list[list[Delivery]]:
        """Claim what is due, grouped by lane in the order it was owed."""
        lanes: dict[str, list[Delivery]] = {}
        with transaction(self.deps.sessions) as session:
            claimed = [
                (
                    item.lane,
                    item.id,
                    item.kind,
                    item.team_id,
                    dict(item.payload),
                    item.attempts,
                    item.last_error,
                )
                for item in claim_due(session=session, now=self.clock(), lease=LEASE, limit=BATCH)
            ]
        # Clients are found after the claim commits: a workspace's token may come from the
        # installation store, which has its own connections (and SQLite allows one writer).
        clients: dict[str, WebClient] = {}
        for lane, item_id, kind, team_id, payload, attempts, last_error in claimed:
            if team_id not in clients:
                clients[team_id] = self.client_for(team_id)
            lanes.setdefault(lane, []).append(
                Delivery(
                    item_id=item_id,
                    kind=kind,
                    team_id=team_id,
                    payload=payload,
                    attempts=attempts,
                    previous_error=last_error,
                    client=clients[team_id],
                    deps=self.deps,
                )
            )
        return list(lanes.values())

    def _deliver_one(self, delivery: Delivery) -> None:
        kind = delivery.kind
        deliver = self.kinds.get(kind)
        failure: Failure | None = None
        if deliver is None:
            failure = Failure(f"unknown kind {kind!r}", transient=False)
        else:
            try:
                deliver(delivery)
            except Undeliverable as gone:
                failure = Failure(str(gone) or "undeliverable", transient=False)
            except Exception as error:
                failure = classify(error)
                if not failure.transient and not isinstance(error, SlackApiError):
                    logger.exception("outbox item %s (%s) failed", delivery.item_id, kind)
        self._record(delivery, kind, failure)

    def _record(self, delivery: Delivery, kind: str, failure: Failure | None) -> None:
        now = self.clock()
        base = self.deps.settings.outbox_retry_seconds
        with transaction(self.deps.sessions) as session:
            if failure is None:
                finish(session=session, item_id=delivery.item_id, status=OutboxStatus.SENT, now=now)
                return
            out_of_attempts = delivery.attempts > len(BACKOFF_STEPS)
            if failure.transient and not out_of_attempts:
                wait = failure.retry_after
                if wait is None:
                    wait = base * BACKOFF_STEPS[delivery.attempts - 1]
                logger.info(
                    "outbox item %s (%s): %s; retrying in %.1fs",
                    delivery.item_id,
                    kind,
                    failure.code,
                    wait,
                )
                finish(
                    session=session,
                    item_id=delivery.item_id,
                    status=OutboxStatus.PENDING,
                    now=now,
                    error=failure.code,
                    retry_at=now + timedelta(seconds=wait),
                )
                return
            logger.warning("outbox item %s (%s) failed: %s", delivery.item_id, kind, failure.code)
            finish(
                session=session,
                item_id=delivery.item_id,
                status=OutboxStatus.FAILED,
                now=now,
                error=failure.code,
            )
        if self.on_failure is not None:
            self.on_failure(delivery, failure.code)


def owe(
    session: Session,
    *,
    team_id: str,
    kind: str,
    payload: dict[str, Any],
    lane: str,
    key: str | None = None,
    at_most_every: float | None = None,
) -> None:
    """Owe Slack a call of `kind`, in the caller's transaction. Items with the same `key`
    coalesce while pending; `at_most_every` seconds spaces out deliveries of one key (a live
    tally Slack would rate-limit). Delivery times are wall-clock: they are about Slack, not
    about the review's calendar, so they ignore the bot's settable clock. `lane` names the
    conversation (a channel or user id) or the thing shown (a card), whose items go out in
    order."""
    now = wall_clock()
    not_before = now
    if key is not None and at_most_every:
        last = last_sent_at(session=session, key=key)
        if last is not None:
            if last.tzinfo is None:
                last = last.replace(tzinfo=UTC)
            not_before = max(now, last + timedelta(seconds=at_most_every))
    enqueue(
        session=session,
        team_id=team_id,
        kind=kind,
        payload=payload,
        now=now,
        lane=lane,
        key=key,
        not_before=not_before,
        min_gap=at_most_every or 0.0,
    )


# How long delivered and failed items (and the ids of requests already applied) are kept:
# long enough to look into a failure, short enough that the table stays small.
KEEP_FINISHED = timedelta(days=7)


def forget_finished(deps: Deps) -> int:
    """Remove outbox items finished, and applied-request ids recorded, over a week ago."""
    with transaction(deps.sessions) as session:
        before = wall_clock() - KEEP_FINISHED
        return purge_finished(session=session, before=before) + forget_applied(
            session=session, before=before
        )
