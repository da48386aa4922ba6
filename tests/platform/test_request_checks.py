"""Requests checked once: Bolt verifies the signature, the replay check (bot/slack/replay.py)
lets each signed request and each event in once. A request that fails either changes
nothing at all — no listener, no error handler, no database row, no call to Slack — and
what the replay check keeps dates nothing more finely than a day."""

from __future__ import annotations

import json
import time
import urllib.parse
from datetime import UTC, date, datetime, timedelta
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse
from sqlalchemy import Date, String, func, select, text

from bot.app import create_app
from bot.deps import Deps
from bot.settings import Settings
from bot.slack.replay import ReplayCheck, was_let_in
from storage.db import transaction
from storage.models.afis import Afi
from storage.models.requests import SeenRequest
from storage.repositories.outbox import items
from storage.schema import metadata

from afi_helpers import CHANNEL, HOST_LEAD, seed_voting_review
from conftest import SIGNING_SECRET, RunningBot
from fake_slack import FakeSlack
from slack_driver import TEAM, SlackDriver, sign

FORM = "application/x-www-form-urlencoded"


def row_counts(deps: Deps) -> dict[str, int]:
    with transaction(deps.sessions) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in metadata.sorted_tables
        }


def slack_traffic(fake: FakeSlack) -> tuple[int, int]:
    return len(fake.calls), len(fake.responses)


def command_body(fake: FakeSlack, text: str) -> bytes:
    """`/afi add <text>` from the host lead: a request that writes and answers when let in."""
    return urllib.parse.urlencode(
        {
            "command": "/afi",
            "text": text,
            "user_id": HOST_LEAD,
            "channel_id": CHANNEL,
            "channel_name": "psif-review",
            "team_id": TEAM["id"],
            "trigger_id": fake.issue_trigger_id(),
            "response_url": fake.new_response_url(),
        }
    ).encode()


def forged_click_body(fake: FakeSlack) -> bytes:
    """A button click with a garbage value: were it let in, the bot would answer it."""
    payload = {
        "type": "block_actions",
        "user": {"id": "UVICTIM", "team_id": TEAM["id"]},
        "team": TEAM,
        "trigger_id": fake.issue_trigger_id(),
        "response_url": fake.new_response_url(),
        "container": {"type": "message", "channel_id": CHANNEL, "message_ts": "1.2"},
        "channel": {"id": CHANNEL},
        "actions": [{"action_id": "action_done", "block_id": "b", "value": "x", "type": "button"}],
    }
    return urllib.parse.urlencode({"payload": json.dumps(payload)}).encode()


def headers(timestamp: str, signature: str) -> dict[str, str]:
    return {"X-Slack-Request-Timestamp": timestamp, "X-Slack-Signature": signature}


def bad_requests(fake: FakeSlack) -> list[tuple[str, bytes, dict[str, str]]]:
    """(what, body, headers): every way a request can fail verification."""
    now = str(int(time.time()))
    # Well outside the 5-minute window either way, so a slow machine never drifts inside it.
    old, ahead = str(int(now) - 400), str(int(now) + 400)
    body = command_body(fake, "add Forged area for improvement")
    click = forged_click_body(fake)
    good = sign(SIGNING_SECRET, now, body)
    return [
        ("no headers", body, {}),
        ("no signature", body, {"X-Slack-Request-Timestamp": now}),
        ("no timestamp", body, {"X-Slack-Signature": good}),
        ("timestamp x", body, headers("x", good)),
        ("timestamp x, forged click", click, headers("x", "v0=1")),
        ("signature not hex", body, headers(now, "v0=" + "z" * 64)),
        ("another version", body, headers(now, "v1" + good[2:])),
        ("wrong secret", body, headers(now, sign("guess", now, body))),
        ("tampered body", body + b"&x=1", headers(now, good)),
        ("stale", body, headers(old, sign(SIGNING_SECRET, old, body))),
        ("from the future", body, headers(ahead, sign(SIGNING_SECRET, ahead, body))),
        ("forged click", click, headers(now, sign("guess", now, click))),
    ]


def post_raw(slack: SlackDriver, body: bytes, slack_headers: dict[str, str]) -> int:
    """POST with exactly these Slack headers (the driver would otherwise sign for us)."""
    import urllib.error
    import urllib.request

    request = urllib.request.Request(
        slack.url, data=body, method="POST", headers={"Content-Type": FORM, **slack_headers}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return int(response.status)
    except urllib.error.HTTPError as error:
        return int(error.code)


def test_every_kind_of_unverified_request_is_refused_and_changes_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    slack.command("/afi", "help")  # a request let in first, so the bot is warmed up
    fake_slack.wait_for_responses()
    before, traffic = row_counts(bot.deps), slack_traffic(fake_slack)
    for what, body, bad_headers in bad_requests(fake_slack):
        assert post_raw(slack, body, bad_headers) == 401, what
    # The positive signal: the same kind of request, properly signed, is let in and acts.
    reply = slack.post(command_body(fake_slack, "add Genuine area for improvement"), FORM)
    assert reply.status == 200
    fake_slack.wait_for_responses(count=traffic[1] + 1)
    after = row_counts(bot.deps)
    assert {name: after[name] - before[name] for name in after if after[name] != before[name]} == {
        "afis": 1,
        "applied_requests": 1,
        "audit_events": 1,
        "review_counters": 1,
        "seen_requests": 1,
    }
    assert slack_traffic(fake_slack) == (traffic[0], traffic[1] + 1)
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Afi.text)).all() == ["Genuine area for improvement"]


def test_a_replayed_request_is_refused_and_not_run_again(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    body = command_body(fake_slack, "add Staff don't get regular feedback")
    timestamp = str(int(time.time()))
    signature = sign(SIGNING_SECRET, timestamp, body)
    first = slack.post(body, FORM, timestamp=timestamp, signature=signature)
    assert first.status == 200
    fake_slack.wait_for_responses()
    again = slack.post(body, FORM, timestamp=timestamp, signature=signature)
    assert again.status == 401
    # A later request is let in and answered, so the replay's silence is not a delay.
    slack.command("/afi", "help")
    fake_slack.wait_for_responses(count=2)
    with transaction(bot.deps.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Afi)) == 1
    assert len(fake_slack.responses) == 2


def test_slack_redelivering_the_same_signed_event_is_acknowledged_without_running(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    event = {
        "token": "t",
        "team_id": TEAM["id"],
        "type": "event_callback",
        "event_id": "EvREPEAT",
        "event": {"type": "app_home_opened", "user": "UHOME", "channel": "D1", "tab": "home"},
    }
    body = json.dumps(event).encode()
    timestamp = str(int(time.time()))
    signature = sign(SIGNING_SECRET, timestamp, body)
    assert (
        slack.post(body, "application/json", timestamp=timestamp, signature=signature).status == 200
    )
    fake_slack.wait_for("views.publish")
    retry = slack.post(
        body,
        "application/json",
        timestamp=timestamp,
        signature=signature,
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_error"},
    )
    assert retry.status == 200
    slack.open_home("UOTHER")  # a later event is handled: the redelivery was not
    fake_slack.wait_for("views.publish", count=2)
    # Each Home tab is its own outbox lane, so the two may be published in either order.
    published = sorted(call.args["user_id"] for call in fake_slack.calls_to("views.publish"))
    assert published == ["UHOME", "UOTHER"]


def test_a_retry_sent_because_the_bot_was_slow_is_not_run_twice(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    home = {"type": "app_home_opened", "user": "UHOME", "channel": "D1", "tab": "home"}
    assert slack.event(home, event_id="EvSLOW").status == 200
    assert slack.event(home, event_id="EvSLOW", retry_num=1).status == 200  # http_timeout
    slack.open_home("UOTHER")
    fake_slack.wait_for("views.publish", count=2)
    # Each Home tab is its own outbox lane, so the two may be published in either order.
    published = sorted(call.args["user_id"] for call in fake_slack.calls_to("views.publish"))
    assert published == ["UHOME", "UOTHER"]


def test_the_error_handler_never_acts_on_a_request_that_reached_bolt_unverified(
    settings: Settings, deps: Deps, fake_slack: FakeSlack
) -> None:
    """Bolt's own check raises on a timestamp of 'x', which reaches the error handler: it
    must not send its apology to whatever response_url the body named."""
    app: App = create_app(settings, deps)
    body = forged_click_body(fake_slack).decode()
    response = app.dispatch(
        BoltRequest(
            body=body,
            headers={
                "content-type": FORM,
                "x-slack-request-timestamp": "x",
                "x-slack-signature": "v0=" + "0" * 64,
            },
        )
    )
    assert response.status == 401
    unsigned: dict[str, Any] = {"content-type": FORM}
    assert app.dispatch(BoltRequest(body=body, headers=unsigned)).status == 401
    assert slack_traffic(fake_slack) == (0, 0)  # dispatch ran every middleware synchronously
    with transaction(deps.sessions) as session:
        assert items(session=session) == []  # nor was anything owed for later


def test_a_command_slack_retries_is_acknowledged_without_running_twice(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    body = command_body(fake_slack, "add Staff don't get regular feedback")
    timestamp = str(int(time.time()))
    signature = sign(SIGNING_SECRET, timestamp, body)
    assert slack.post(body, FORM, timestamp=timestamp, signature=signature).status == 200
    retry = slack.post(
        body,
        FORM,
        timestamp=timestamp,
        signature=signature,
        headers={"X-Slack-Retry-Num": "1", "X-Slack-Retry-Reason": "http_timeout"},
    )
    assert (retry.status, retry.body) == (200, b"")
    slack.command("/afi", "help")  # a later request is answered: the retry was not run
    fake_slack.wait_for_responses(count=2)
    with transaction(bot.deps.sessions) as session:
        assert session.scalar(select(func.count()).select_from(Afi)) == 1


def test_nothing_the_replay_check_keeps_dates_a_request_finer_than_a_day(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    body = command_body(fake_slack, "help")
    timestamp = str(int(time.time()))
    signature = sign(SIGNING_SECRET, timestamp, body)
    slack.post(body, FORM, timestamp=timestamp, signature=signature)
    slack.event({"type": "app_home_opened", "user": "UHOME", "tab": "home"}, event_id="EvDAY")
    fake_slack.wait_for("views.publish")
    table = SeenRequest.__table__
    assert {column.name: type(column.type) for column in table.columns} == {
        "key": String,
        "expires_on": Date,
    }
    with bot.deps.engine.connect() as connection:
        rows = connection.execute(text("SELECT key, CAST(expires_on AS TEXT) FROM seen_requests"))
        stored = {key: day for key, day in rows}
    assert len(stored) == 3  # the command's and the event's signatures, the event's id
    today = datetime.now(UTC).date()
    for key, day in stored.items():
        assert date.fromisoformat(day) in (today, today + timedelta(days=1)), day
        # Keyed hashes: neither the signature nor the event id can be looked up.
        assert len(key) == 64 and key not in signature and "EvDAY" not in key


def test_past_days_are_cleared_on_a_process_first_request_of_each_day(deps: Deps) -> None:
    """Not on every request: once a day, in each process."""
    clock = [datetime(2026, 11, 25, 23, 50, tzinfo=UTC).timestamp()]
    check = ReplayCheck(
        signing_secret=SIGNING_SECRET, sessions=deps.sessions, wall_clock=lambda: clock[0]
    )
    let_in: list[str] = []

    def knock(signature: str) -> int:
        request = BoltRequest(body="{}", headers={"x-slack-signature": signature})
        answer = check.process(
            req=request, resp=BoltResponse(status=200), next=lambda: BoltResponse(status=200)
        )
        if answer is not None and was_let_in(request.context):
            let_in.append(signature)
        return answer.status if answer is not None else 0

    def days_kept() -> list[date]:
        with transaction(deps.sessions) as session:
            return sorted(session.scalars(select(SeenRequest.expires_on)).all())

    with transaction(deps.sessions) as session:
        session.add(SeenRequest(key="0" * 64, expires_on=date(2026, 11, 24)))
    assert knock("v0=first") == 200  # the process's first request clears yesterday's
    with transaction(deps.sessions) as session:
        session.add(SeenRequest(key="1" * 64, expires_on=date(2026, 11, 24)))
    assert knock("v0=second") == 200
    # Kept an hour at least, so a request at 23:50 expires the next day.
    assert days_kept() == [date(2026, 11, 24), date(2026, 11, 26), date(2026, 11, 26)]
    assert knock("v0=first") == 401  # a replay is refused meanwhile
    clock[0] += 15 * 60  # 00:05 the next day
    assert knock("v0=third") == 200
    assert days_kept() == [date(2026, 11, 26)] * 3
    assert let_in == ["v0=first", "v0=second", "v0=third"]
