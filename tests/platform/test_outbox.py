"""Nothing lost, nothing doubled: saved changes and the Slack messages that follow them.

Slack is made to fail at each call that follows a saved change; the person is never told the
change failed, the record is stored once, and every message goes out once Slack recovers.
"""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, func, select, text

from bot.app import create_app, outbox_worker
from bot.deps import Deps
from bot.settings import Settings
from bot.slack import ids
from bot.slack.outbox import MESSAGE, owe_message
from scheduler.runner import retention_pass
from storage.db import make_session_factory, transaction
from storage.models.afis import Afi, AfiVote
from storage.models.improvement_actions import Action
from storage.models.outbox import OutboxItem, OutboxStatus
from storage.repositories.afis import NewAfi, add_afi
from storage.repositories.improvement_actions import ActionFields, add_action
from storage.repositories.outbox import (
    NOTIFY_CHANNEL,
    claim_due,
    enqueue,
    finish,
    items,
    last_sent_at,
    next_due_at,
)
from storage.repositories.reminders import owe_posts

from action_helpers import CHANNEL, action_form, open_log_modal, seed_review_with_afis, wait_until
from afi_helpers import HOST_LEAD, PEERS, afi_ids, round_id, seed_voting_review, start_vote
from conftest import RunningBot, TestDatabase
from fake_slack import FakeSlack
from helpers import wait_until_delivered
from slack_driver import SlackDriver

FAILURE_TEXT = ("didn't go through", "try again", "went wrong")


def count(deps: Deps, model: type[object]) -> int:
    with transaction(deps.sessions) as session:
        return int(session.scalar(select(func.count()).select_from(model)) or 0)


def said_to_people(fake: FakeSlack) -> str:
    return json.dumps([post.body for post in fake.responses]) + json.dumps(
        [call.args for call in fake.calls_to("chat.postMessage")]
    )


@pytest.mark.parametrize(
    ("error", "status"),
    [("internal_error", 500), ("ratelimited", 429), ("service_unavailable", 503)],
)
def test_an_action_saved_while_slack_fails_is_posted_once_slack_recovers(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, error: str, status: int
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    view = open_log_modal(slack, fake_slack)
    fake_slack.fail_next("chat.postMessage", error, status=status, times=3)
    reply = slack.submit_view(view, action_form(), user="UHOST")
    assert reply.status == 200 and reply.body in (b"", b"{}")  # saved: the modal closes
    wait_until_delivered(bot.deps)
    assert count(bot.deps, Action) == 1
    cards = [m for m in fake_slack.messages_in(CHANNEL) if m["text"].startswith("Action 1:")]
    assert len(cards) == 1
    owner_dms = [
        call
        for call in fake_slack.calls_to("chat.postMessage")
        if call.args["channel"] == "UOWNER" and call.ok
    ]
    assert len(owner_dms) == 1
    assert not any(text in said_to_people(fake_slack) for text in FAILURE_TEXT)


def test_a_card_slack_will_never_take_is_failed_with_a_reason_and_the_person_told_what_to_do(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    fake_slack.set_channel(CHANNEL, is_member=False)
    view = open_log_modal(slack, fake_slack)
    reply = slack.submit_view(view, action_form(), user="UHOST")
    assert reply.status == 200 and reply.body in (b"", b"{}")
    wait_until_delivered(bot.deps)
    with transaction(bot.deps.sessions) as session:
        failed = session.scalars(
            select(OutboxItem).where(OutboxItem.status == OutboxStatus.FAILED)
        ).all()
    assert [(item.kind, item.last_error) for item in failed] == [("action_card", "not_in_channel")]
    told = [post.body["text"] for post in fake_slack.responses if "Action 1" in post.body["text"]]
    assert told and "is saved" in told[-1] and "/invite @PSIF" in told[-1]


def test_the_same_form_delivered_twice_logs_one_action(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    view = open_log_modal(slack, fake_slack)
    replies = [slack.submit_view(view, action_form(), user="UHOST") for _ in range(2)]
    assert [reply.status for reply in replies] == [200, 200]
    wait_until_delivered(bot.deps)
    assert count(bot.deps, Action) == 1
    assert len(fake_slack.messages_in(CHANNEL)) == 1


def test_the_same_afi_form_delivered_twice_adds_one_afi(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    slack.command("/afi", "add", user=HOST_LEAD)
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    inputs = {ids.AFI_TEXT: "Staff aren't asked for ideas"}
    replies = [slack.submit_view(view, inputs, user=HOST_LEAD) for _ in range(2)]
    assert [reply.status for reply in replies] == [200, 200]
    assert count(bot.deps, Afi) == 1


def test_the_same_slash_command_delivered_twice_adds_one_afi(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    fields = {
        "team_id": "T0001",
        "channel_id": "CREVIEW",
        "user_id": HOST_LEAD,
        "command": "/afi",
        "text": "add Staff aren't asked for ideas",
        "response_url": fake_slack.new_response_url(),
        "trigger_id": fake_slack.issue_trigger_id(),
    }
    # Delivered again a moment later: a fresh timestamp and signature, the same trigger id.
    first = slack.post_form(fields)
    second = slack.post_form(fields, timestamp=str(int(time.time()) + 1))
    assert (first.status, second.status) == (200, 200)
    assert "Added as AFI 1" in first.json()["text"]
    assert "added already" in second.json()["text"]
    assert count(bot.deps, Afi) == 1


def test_a_vote_click_is_stored_before_it_is_acknowledged(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack)
    fake_slack.delay("chat.update", 3.0)  # Slack slow: the tally can't hold up the ack
    reply = slack.click_in_message(
        message,
        ids.AFI_VOTE_ADD,
        user=PEERS[0],
        channel=CHANNEL,
        value=f"{round_id(bot)}:{afi_ids(bot)[1]}",
    )
    assert reply.status == 200 and reply.elapsed < 1.0
    assert count(bot.deps, AfiVote) == 1  # no waiting: it was stored before the ack
    fake_slack.delay("chat.update", 0)


def test_acknowledgements_never_wait_for_a_slow_slack(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    start_vote(slack, fake_slack)
    for method in ("chat.postMessage", "chat.update", "views.publish"):
        fake_slack.delay(method, 5.0)
    with ThreadPoolExecutor(32) as pool:
        replies = list(
            pool.map(
                lambda index: slack.command("/afi", f"add Area {index}", user=HOST_LEAD)[0],
                range(32),
            )
        )
    assert all(reply.status == 200 for reply in replies)
    assert max(reply.elapsed for reply in replies) < 3.0
    assert count(bot.deps, Afi) == 2 + 32
    for method in ("chat.postMessage", "chat.update", "views.publish"):
        fake_slack.delay(method, 0)


def test_concurrent_adds_get_consecutive_numbers_and_never_fail(deps: Deps) -> None:
    review_id = seed_review_with_afis(deps.sessions, with_afis=False).review_id
    now = datetime(2026, 11, 25, 10, tzinfo=UTC)
    start = threading.Barrier(20)

    def add_afis(worker: int) -> list[int]:
        start.wait()
        numbers = []
        for index in range(10):
            with transaction(deps.sessions) as session:
                afi = add_afi(
                    session=session,
                    review_id=review_id,
                    new=NewAfi(text=f"AFI {worker}.{index}", author_id="UHOST"),
                    now=now,
                )
                numbers.append(afi.number)
        return numbers

    with ThreadPoolExecutor(20) as pool:
        numbers = [number for batch in pool.map(add_afis, range(20)) for number in batch]
    assert sorted(numbers) == list(range(1, 201))


def test_actions_are_numbered_per_review_under_concurrency(deps: Deps) -> None:
    review_id = seed_review_with_afis(deps.sessions, with_afis=False).review_id
    now = datetime(2026, 11, 25, 10, tzinfo=UTC)
    fields = ActionFields(
        key_action="Do it",
        owner_id="UHOST",
        due=now.date(),
        afi_id=None,
        risks="",
        measure="",
        outcome="",
    )

    def log(_: int) -> int:
        with transaction(deps.sessions) as session:
            return add_action(
                session=session, review_id=review_id, fields=fields, actor_id="UHOST", now=now
            ).number

    with ThreadPoolExecutor(16) as pool:
        numbers = list(pool.map(log, range(64)))
    assert sorted(numbers) == list(range(1, 65))


def test_the_daily_pass_forgets_items_delivered_over_a_week_ago(deps: Deps) -> None:
    now = datetime.now(UTC)
    with transaction(deps.sessions) as session:
        for age_days in (8, 1):
            enqueue(
                session=session,
                team_id="T0001",
                kind="message",
                payload={"channel": "C1", "text": f"{age_days} days old"},
                now=now,
                lane="C1",
            )
        session.flush()
        for item, age_days in zip(items(session=session), (8, 1), strict=True):
            item.status = OutboxStatus.SENT
            item.finished_at = now - timedelta(days=age_days)
    retention_pass(deps)
    with transaction(deps.sessions) as session:
        left = [item.payload["text"] for item in items(session=session)]
    assert left == ["1 days old"]


def test_a_throttled_key_keeps_only_its_latest_delivery_so_its_last_send_is_one_row(
    deps: Deps,
) -> None:
    """Every vote click asks when its tally was last sent: the cost must not grow with the
    number of updates the vote has had."""
    start = datetime.now(UTC)
    for update in range(3):
        at = start + timedelta(seconds=10 * update)
        with transaction(deps.sessions) as session:
            enqueue(
                session=session,
                team_id="T0001",
                kind="message",
                payload={"channel": "C1", "text": f"tally {update}"},
                now=at,
                lane="C1",
                key="tally:1",
                min_gap=1.0,
            )
        with transaction(deps.sessions) as session:
            [item] = claim_due(
                session=session, now=at, lease=timedelta(minutes=2), limit=1, kinds=["message"]
            )
            finish(session=session, item_id=item.id, status=OutboxStatus.SENT, now=at)
    with transaction(deps.sessions) as session:
        [kept] = items(session=session)
        assert (kept.payload["text"], kept.status) == ("tally 2", OutboxStatus.SENT.value)
        last = last_sent_at(session=session, key="tally:1")
    assert last is not None and last.replace(tzinfo=UTC) == start + timedelta(seconds=20)


def test_an_item_waiting_behind_one_in_flight_does_not_make_the_worker_spin(
    deps: Deps,
) -> None:
    """The worker sleeps until the next item it could claim: one queued behind a delivery
    in flight in its lane is not due until that delivery finishes (and wakes the worker)."""
    now = datetime.now(UTC)
    with transaction(deps.sessions) as session:
        for lane, text, not_before in (
            ("C1", "drawing a chart", now),
            ("C1", "queued behind it", now),
            ("C2", "later elsewhere", now + timedelta(minutes=5)),
        ):
            enqueue(
                session=session,
                team_id="T0001",
                kind="message",
                payload={"channel": lane, "text": text},
                now=now,
                lane=lane,
                not_before=not_before,
            )
    with transaction(deps.sessions) as session:
        [in_flight] = claim_due(
            session=session, now=now, lease=timedelta(minutes=2), limit=1, kinds=["message"]
        )
        assert in_flight.payload["text"] == "drawing a chart"
    with transaction(deps.sessions) as session:
        due = next_due_at(session=session, now=now, kinds=["message"])
    assert due is not None
    assert due.replace(tzinfo=UTC) == now + timedelta(minutes=5)


def test_a_process_claims_only_its_kinds_and_never_overtakes_another_kind_in_a_lane(
    deps: Deps,
) -> None:
    """A web process delivers messages but not charts: a message owed after a chart in the
    same channel waits for the worker process to deliver the chart, and the web process
    sleeps meanwhile rather than spinning on it."""
    now = datetime.now(UTC)
    with transaction(deps.sessions) as session:
        for lane, kind, text in (
            ("C1", "results_chart", "the chart"),
            ("C1", "message", "after the chart"),
            ("C2", "message", "elsewhere"),
        ):
            enqueue(
                session=session,
                team_id="T0001",
                kind=kind,
                payload={"channel": lane, "text": text},
                now=now,
                lane=lane,
            )
    lease = timedelta(minutes=2)
    with transaction(deps.sessions) as session:
        web = claim_due(session=session, now=now, lease=lease, limit=10, kinds=["message"])
        assert [item.payload["text"] for item in web] == ["elsewhere"]
    with transaction(deps.sessions) as session:
        assert next_due_at(session=session, now=now, kinds=["message"]) is None
        worker = claim_due(
            session=session, now=now, lease=lease, limit=10, kinds=["message", "results_chart"]
        )
        # A lane's items are claimed together and delivered in order.
        assert [item.payload["text"] for item in worker] == ["the chart", "after the chart"]


def test_building_the_app_starts_no_thread(settings: Settings, deps: Deps) -> None:
    before = set(threading.enumerate())
    create_app(settings, deps)
    assert set(threading.enumerate()) == before


def test_the_outbox_worker_delivers_while_its_block_runs_and_leaves_no_thread_after(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    before = set(threading.enumerate())
    with outbox_worker(deps):
        with transaction(deps.sessions) as session:
            owe_message(session, team_id="T0001", channel="CREVIEW", text="Hello")
        assert fake_slack.wait_for("chat.postMessage")[-1].args["text"] == "Hello"
    assert set(threading.enumerate()) == before


def test_a_listening_worker_hears_at_once_what_another_process_owes(
    deps: Deps, db: TestDatabase, fake_slack: FakeSlack
) -> None:
    """`psif-bot worker` on PostgreSQL: another process's commit can't wake it directly, so
    the commit notifies it; it delivers long before its next look (a minute away here)."""
    if db.backend != "postgresql":
        pytest.skip("notifications are PostgreSQL's; on SQLite the worker looks every second")
    since = database_now(db.engine)
    with outbox_worker(deps, poll_seconds=60, listen=True):
        wait_until(lambda: listening(db.engine, since), "the worker listening")
        elsewhere = make_session_factory(db.engine)  # another process's sessions
        with transaction(elsewhere) as session:
            owe_message(session, team_id="T0001", channel="CREVIEW", text="Hello")
        [posted] = fake_slack.wait_for("chat.postMessage", timeout=10)
        assert posted.args["text"] == "Hello"


def test_a_listening_worker_hears_at_once_the_nudges_another_process_owes(
    deps: Deps, db: TestDatabase, fake_slack: FakeSlack
) -> None:
    """The scheduler owes a pass's nudges in one statement; that commit notifies too."""
    if db.backend != "postgresql":
        pytest.skip("notifications are PostgreSQL's; on SQLite the worker looks every second")
    since = database_now(db.engine)
    with outbox_worker(deps, poll_seconds=60, listen=True):
        wait_until(lambda: listening(db.engine, since), "the worker listening")
        elsewhere = make_session_factory(db.engine)  # the scheduler's sessions
        payload = {"channel": "CREVIEW", "text": "Nudge", "blocks": None, "thread_ts": None}
        with transaction(elsewhere) as session:
            owe_posts(
                session=session,
                kind=MESSAGE.name,
                posts=[("T0001", "CREVIEW", payload | {"if_undelivered": None})],
                now=datetime.now(UTC),
            )
        [posted] = fake_slack.wait_for("chat.postMessage", timeout=10)
        assert posted.args["text"] == "Nudge"


def database_now(engine: Engine) -> datetime:
    with engine.connect() as connection:
        now: datetime = connection.execute(text("SELECT clock_timestamp()")).scalar_one()
    return now


def listening(engine: Engine, since: datetime) -> bool:
    """A connection opened since `since` listens: an earlier test's worker connection may
    linger in pg_stat_activity with the same last query."""
    with engine.connect() as connection:
        found = connection.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()"
                " AND query = :listen AND backend_start >= :since"
            ),
            {"listen": f"LISTEN {NOTIFY_CHANNEL}", "since": since},
        ).scalar()
    return bool(found)
