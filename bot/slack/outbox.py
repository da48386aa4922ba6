"""The outbox: a saved change's Slack effects, owed in its transaction, delivered after commit.

A `Kind` names an item's kind, its payload type and what delivers it; features declare their
own (bot.app.KINDS lists them). Failures retry with backoff and end sent or failed (with an
`if_undelivered` notice). Workers share the table through row locks and a lease, claim only
their own kinds, and never an item behind an earlier one in its lane, so a lane keeps order.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Generic, NotRequired, TypedDict

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy import event
from sqlalchemy.orm import Session
from typing_extensions import TypeVar

from bot.core.calendar import aware
from bot.deps import Deps, system_clock
from bot.slack.calls import CHANNEL_UNREACHABLE, send_ephemeral, unreachable_channel_advice
from bot.slack.failures import Failure, classify
from storage.db import transaction
from storage.models.outbox import OutboxStatus
from storage.repositories.outbox import (
    ENQUEUED,
    claim_due,
    enqueue,
    enqueue_each,
    finish,
    last_sent_at,
    listen_for_owed,
    next_due_at,
    purge_finished,
)
from storage.repositories.requests import forget_applied

logger = logging.getLogger(__name__)

LEASE = timedelta(minutes=2)
BATCH = 20
# Backoff per failed attempt, in multiples of the base delay; after the last, failed for good.
BACKOFF_STEPS = (1, 3, 12, 60, 180, 600, 1800)
# Failures after which Slack may have done the call although we got no answer.
AMBIGUOUS = frozenset({"timeout", "network", "lease_expired"})
# Finished items and applied request keys are kept this long, to look into a failure.
KEEP_FINISHED = timedelta(days=7)
# Posted messages carry their item's id in this metadata, so a retry can look for them.
OUTBOX_EVENT = "psif_outbox"
RECENT_MESSAGES = 100


wall_clock = system_clock  # delivery is about Slack, not the bot's settable review clock


class Undeliverable(Exception):
    """A kind found the item can never be delivered (its subject is gone, say)."""


class Undelivered(TypedDict):
    """Whom to tell, and what, if Slack refuses an item for good (advice is appended)."""

    user_id: str
    response_url: str | None
    text: str


# A kind's payload: JSON, typed per kind (a TypedDict); plain dicts until a kind declares one.
P = TypeVar("P", bound=Mapping[str, Any], default=dict[str, Any])


@dataclass(frozen=True)
class Delivery(Generic[P]):
    item_id: int
    kind: str
    team_id: str
    payload: P
    attempts: int
    previous_error: str | None
    client: WebClient
    deps: Deps

    @property
    def may_have_reached_slack(self) -> bool:
        """An earlier attempt timed out or its worker died: look before posting again."""
        return self.attempts > 1 and (self.previous_error or "") in AMBIGUOUS


@dataclass(frozen=True)
class Owed(Generic[P]):
    """A kind as those who owe it see it (for a kind a feature above delivers, e.g. Home).
    Its name is stored with each item: never rename one that may be pending."""

    name: str

    def owe(
        self,
        session: Session,
        *,
        team_id: str,
        payload: P,
        lane: str,
        key: str | None = None,
        at_most_every: float | None = None,
    ) -> None:
        """Owe Slack this delivery in the caller's transaction. A `lane` (conversation or
        card) delivers in order; one `key` coalesces while pending (newest wins), spaced
        `at_most_every` seconds apart."""
        now = wall_clock()
        not_before = now
        if key is not None and at_most_every:
            last = last_sent_at(session=session, key=key)
            if last is not None:
                not_before = max(now, aware(last) + timedelta(seconds=at_most_every))
        enqueue(
            session=session,
            team_id=team_id,
            kind=self.name,
            payload=dict(payload),
            now=now,
            lane=lane,
            key=key,
            not_before=not_before,
            min_gap=at_most_every or 0.0,
        )


@dataclass(frozen=True)
class Kind(Owed[P]):
    deliver: Callable[[Delivery[P]], None]


class MessagePayload(TypedDict):
    channel: str  # a channel, or a user id for the app's DM with them
    text: str
    blocks: list[dict[str, Any]] | None
    if_undelivered: Undelivered | None
    thread_ts: NotRequired[str | None]


class AnswerPayload(TypedDict):
    user_id: str
    response_url: str | None
    text: str
    blocks: NotRequired[list[dict[str, Any]]]
    replace_original: NotRequired[bool]


def deliver_message(delivery: Delivery[MessagePayload]) -> None:
    payload = delivery.payload
    channel = payload["channel"]
    if delivery.may_have_reached_slack and _posted(delivery, channel) is not None:
        return
    _post(delivery, channel, payload["text"], payload["blocks"], payload.get("thread_ts"))


def deliver_answer(delivery: Delivery[AnswerPayload]) -> None:
    """Ephemerally through the response_url, else (none, or expired) by direct message."""
    payload = delivery.payload
    if send_ephemeral(
        payload["response_url"],
        payload["text"],
        api_url=delivery.deps.settings.slack_api_url,
        blocks=payload.get("blocks"),
        replace_original=payload.get("replace_original", False),
    ):
        return
    user_id = payload["user_id"]
    if delivery.may_have_reached_slack and _posted(delivery, user_id) is not None:
        return
    _post(delivery, user_id, payload["text"], payload.get("blocks"))


MESSAGE = Kind("message", deliver_message)
DIRECT_MESSAGE = Kind("dm", deliver_message)
TELL = Kind("tell", deliver_answer)
GENERIC_KINDS: tuple[Kind[Any], ...] = (MESSAGE, DIRECT_MESSAGE, TELL)


def owe_message(
    session: Session,
    *,
    team_id: str,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    if_undelivered: Undelivered | None = None,
    thread_ts: str | None = None,
    kind: Kind[MessagePayload] = MESSAGE,
) -> None:
    """Post to a channel (a user id: the app's DM with them), in a thread if `thread_ts`."""
    payload: MessagePayload = {
        "channel": channel,
        "text": text,
        "blocks": blocks,
        "if_undelivered": if_undelivered,
        "thread_ts": thread_ts,
    }
    kind.owe(session, team_id=team_id, lane=channel, payload=payload)


def owe_direct_message(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    if_undelivered: Undelivered | None = None,
) -> None:
    owe_message(
        session,
        team_id=team_id,
        channel=user_id,
        text=text,
        blocks=blocks,
        if_undelivered=if_undelivered,
        kind=DIRECT_MESSAGE,
    )


def owe_answer(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    response_url: str | None,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    replace_original: bool = False,
) -> None:
    """Tell the person who acted, ephemerally where they acted, or by DM."""
    owe_answers(
        session,
        team_id=team_id,
        user_id=user_id,
        response_url=response_url,
        answers=[(text, blocks)],
        replace_original=replace_original,
    )


def owe_answers(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    response_url: str | None,
    answers: Sequence[tuple[str, list[dict[str, Any]] | None]],
    replace_original: bool = False,
) -> None:
    """Several answers (text, blocks) to the person who acted, in order, in one statement."""
    payloads: list[dict[str, Any]] = []
    for text, blocks in answers:
        payload: AnswerPayload = {"user_id": user_id, "response_url": response_url, "text": text}
        if blocks is not None:
            payload["blocks"] = blocks
        if replace_original:
            payload["replace_original"] = True
        payloads.append(dict(payload))
    enqueue_each(
        session=session,
        team_id=team_id,
        kind=TELL.name,
        lane=user_id,
        payloads=payloads,
        now=wall_clock(),
    )


def _post(
    delivery: Delivery[Any],
    channel: str,
    text: str,
    blocks: list[dict[str, Any]] | None,
    thread_ts: str | None = None,
) -> str:
    response = delivery.client.chat_postMessage(
        channel=channel,
        text=text,
        blocks=blocks,
        metadata={"event_type": OUTBOX_EVENT, "event_payload": {"item": delivery.item_id}},
        thread_ts=thread_ts,
        unfurl_links=False,
        unfurl_media=False,
    )
    return str(response["ts"])


def _posted(delivery: Delivery[Any], channel: str) -> str | None:
    return find_posted(
        delivery.client,
        channel=channel,
        event_type=OUTBOX_EVENT,
        key="item",
        value=delivery.item_id,
    )


def post_once(
    delivery: Delivery[Any], *, channel: str, text: str, blocks: list[dict[str, Any]] | None
) -> tuple[str, bool]:
    """The item's message ts in `channel`, and whether an earlier attempt had posted it."""
    if delivery.attempts > 1 and (found := _posted(delivery, channel)) is not None:
        return found, True
    return _post(delivery, channel, text, blocks), False


def find_posted(
    client: WebClient, *, channel: str, event_type: str, key: str, value: object
) -> str | None:
    """The ts of a recent message in `channel` whose metadata matches; None if not found or
    unknowable (then assume it wasn't posted)."""
    try:
        if channel.startswith(("U", "W")):
            channel = str(client.conversations_open(users=channel)["channel"]["id"])
        response = client.conversations_history(
            channel=channel, limit=RECENT_MESSAGES, include_all_metadata=True
        )
    except Exception as error:
        logger.warning("could not check whether a message reached Slack: %s", error)
        return None
    messages: list[dict[str, Any]] = response.get("messages") or []
    for found in messages:
        metadata = found.get("metadata") or {}
        if metadata.get("event_type") == event_type and (
            (metadata.get("event_payload") or {}).get(key) == value
        ):
            return str(found["ts"])
    return None


@dataclass
class OutboxWorker:
    """Delivers the outbox for one process, in a thread (`start`/`stop`, or `with`) or the
    foreground (`run`). A pass runs on each owing commit and every `poll_seconds`; claimed
    lanes go to a small pool, so a slow conversation never holds up the others."""

    deps: Deps
    kinds: Iterable[Kind[Any]]
    client_for: Callable[[str], WebClient]
    clock: Callable[[], datetime] = wall_clock
    poll_seconds: float = 5.0
    lanes_at_once: int = 8
    # On PostgreSQL, also wake when another process commits something owed.
    listen: bool = False
    _by_name: dict[str, Kind[Any]] = field(init=False)
    _thread: threading.Thread | None = field(default=None, init=False)
    _pool: ThreadPoolExecutor | None = field(default=None, init=False)
    _stopping: threading.Event = field(default_factory=threading.Event, init=False)
    _wake: threading.Event = field(default_factory=threading.Event, init=False)

    def __post_init__(self) -> None:
        self._by_name = {kind.name: kind for kind in self.kinds}

    def __enter__(self) -> OutboxWorker:
        self.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    def start(self) -> None:
        if self._thread is None:
            self._stopping.clear()
            self._thread = threading.Thread(target=self.run, name="psif-outbox", daemon=True)
            self._thread.start()

    def run(self) -> None:
        pool = ThreadPoolExecutor(self.lanes_at_once, thread_name_prefix="psif-outbox-lane")
        event.listen(self.deps.sessions, "after_commit", self._wake_if_owed)
        if self.listen:
            threading.Thread(target=self._listen, name="psif-outbox-listen", daemon=True).start()
        try:
            while not self._stopping.is_set():
                self._wake.clear()
                try:
                    lanes = self._claim()
                except Exception:  # a database hiccup: log, wait, try again
                    logger.exception("outbox pass failed")
                    lanes = []
                for lane in lanes:
                    pool.submit(self._deliver_lane, lane)
                if not lanes:
                    self._wake.wait(self._seconds_until_due())
        finally:
            event.remove(self.deps.sessions, "after_commit", self._wake_if_owed)
            pool.shutdown(wait=True, cancel_futures=True)

    def stop(self, timeout: float = 10.0) -> None:
        self._stopping.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout)
            self._thread = None

    def deliver_due(self) -> int:
        """One pass in the calling thread; how many items were attempted."""
        lanes = self._claim()
        for lane in lanes:
            self._deliver_lane(lane)
        return sum(len(lane) for lane in lanes)

    def _listen(self) -> None:
        while not self._stopping.is_set():
            try:
                listen_for_owed(
                    self.deps.engine,
                    heard=self._wake.set,
                    stopping=self._stopping,
                    seconds=self.poll_seconds,
                )
                return
            except Exception:  # the connection dropped: the worker still looks every so often
                logger.warning("outbox: stopped hearing of new items; listening again shortly")
                self._stopping.wait(self.poll_seconds)

    def _wake_if_owed(self, session: Session) -> None:
        owed = session.info.pop(ENQUEUED, None)  # the kinds owed, if any
        if owed and not owed.isdisjoint(self._by_name):  # not those another process delivers
            self._wake.set()

    def _deliver_lane(self, lane: list[Delivery[Any]]) -> None:
        try:
            for delivery in lane:
                self._record(delivery, self._deliver_one(delivery))
        finally:
            self._wake.set()  # the lane is free again: its next items may be due

    def _seconds_until_due(self) -> float:
        try:
            with transaction(self.deps.sessions) as session:
                due = next_due_at(session=session, now=self.clock(), kinds=list(self._by_name))
        except Exception:
            return self.poll_seconds
        if due is None:
            return self.poll_seconds
        return max(0.0, min(self.poll_seconds, (aware(due) - self.clock()).total_seconds()))

    def _claim(self) -> list[list[Delivery[Any]]]:
        with transaction(self.deps.sessions) as session:
            claimed = claim_due(
                session=session,
                now=self.clock(),
                lease=LEASE,
                limit=BATCH,
                kinds=list(self._by_name),
            )
        # Clients after the claim commits: the installation store has its own connections.
        teams = dict.fromkeys(item.team_id for item in claimed)
        clients = {team_id: self.client_for(team_id) for team_id in teams}
        lanes: dict[str, list[Delivery[Any]]] = {}
        for item in claimed:
            lanes.setdefault(item.lane, []).append(
                Delivery(
                    item_id=item.id,
                    kind=item.kind,
                    team_id=item.team_id,
                    payload=dict(item.payload),
                    attempts=item.attempts,
                    previous_error=item.last_error,
                    client=clients[item.team_id],
                    deps=self.deps,
                )
            )
        return list(lanes.values())

    def _deliver_one(self, delivery: Delivery[Any]) -> Failure | None:
        kind = self._by_name.get(delivery.kind)
        if kind is None:
            return Failure(f"unknown kind {delivery.kind!r}", transient=False)
        try:
            kind.deliver(delivery)
        except Undeliverable as gone:
            return Failure(str(gone) or "undeliverable", transient=False)
        except Exception as error:
            failure = classify(error)
            if not failure.transient and not isinstance(error, SlackApiError):
                logger.exception("outbox item %s (%s) failed", delivery.item_id, delivery.kind)
            return failure
        return None

    def _record(self, delivery: Delivery[Any], failure: Failure | None) -> None:
        now, item, kind = self.clock(), delivery.item_id, delivery.kind
        with transaction(self.deps.sessions) as session:
            if failure is None:
                finish(session=session, item_id=item, status=OutboxStatus.SENT, now=now)
            elif failure.transient and delivery.attempts <= len(BACKOFF_STEPS):
                wait = failure.retry_after
                if wait is None:
                    base = self.deps.settings.outbox_retry_seconds
                    wait = base * BACKOFF_STEPS[delivery.attempts - 1]
                logger.info(
                    "outbox item %s (%s): %s; retrying in %.1fs", item, kind, failure.code, wait
                )
                retry_at = now + timedelta(seconds=wait)
                finish(
                    session=session,
                    item_id=item,
                    status=OutboxStatus.PENDING,
                    now=now,
                    error=failure.code,
                    retry_at=retry_at,
                )
            else:
                logger.warning("outbox item %s (%s) failed: %s", item, kind, failure.code)
                finish(
                    session=session,
                    item_id=item,
                    status=OutboxStatus.FAILED,
                    now=now,
                    error=failure.code,
                )
                _tell_undelivered(session, delivery, failure.code)


def _tell_undelivered(session: Session, delivery: Delivery[Any], error: str) -> None:
    """An item Slack refused for good: tell the person it concerns what to do, if it says."""
    notice: Undelivered | None = delivery.payload.get("if_undelivered")
    if notice is None or delivery.kind == TELL.name:
        return
    channel = str(delivery.payload.get("channel", ""))
    if error in CHANNEL_UNREACHABLE and channel.startswith(("C", "G")):
        advice = unreachable_channel_advice(channel, error)
    elif delivery.kind == DIRECT_MESSAGE.name or channel.startswith(("U", "W")):
        advice = (
            "Slack won't let me message them (perhaps they're in another organisation), so "
            "please let them know yourself."
        )
    else:
        advice = (
            f"Slack refused it (`{error}`). Everything is saved: type `/psif status` in the "
            "review's channel to see where things stand."
        )
    owe_answer(
        session,
        team_id=delivery.team_id,
        user_id=notice["user_id"],
        response_url=notice.get("response_url"),
        text=f"{notice['text']} {advice}",
    )


def forget_finished(deps: Deps) -> int:
    """Remove outbox items finished, and keys of requests applied, over a week ago."""
    before = wall_clock() - KEEP_FINISHED
    with transaction(deps.sessions) as session:
        return purge_finished(session=session, before=before) + forget_applied(
            session=session, before=before
        )
