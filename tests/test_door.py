"""The door: a request that fails verification, or repeats one already let in, changes
nothing at all — no listener, no error handler, no database row, no call to Slack."""

from __future__ import annotations

import json
import time
import urllib.parse
from typing import Any

from slack_bolt import App, BoltRequest
from sqlalchemy import func, select

from bot.app import create_app
from bot.deps import Deps
from bot.settings import Settings
from storage.db import transaction
from storage.models.afis import Afi
from storage.models.requests import SeenRequest
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
        ("padded timestamp", body, headers(f" {now}", sign(SIGNING_SECRET, f" {now}", body))),
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


def test_an_oversized_body_is_refused_unread(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    import http.client

    url = urllib.parse.urlsplit(slack.url)
    connection = http.client.HTTPConnection(url.netloc, timeout=10)
    body = command_body(fake_slack, "add Too big")
    timestamp = str(int(time.time()))
    connection.putrequest("POST", url.path)
    for name, value in {
        "Content-Type": FORM,
        "Content-Length": str(2 * 1024 * 1024),  # announced, never sent: the door won't wait
        **headers(timestamp, sign(SIGNING_SECRET, timestamp, body)),
    }.items():
        connection.putheader(name, value)
    connection.endheaders(body)
    assert connection.getresponse().status == 413
    connection.close()
    assert slack_traffic(fake_slack) == (0, 0)


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


def test_signatures_are_forgotten_once_they_are_too_old_to_pass(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    from datetime import UTC, datetime, timedelta

    with transaction(bot.deps.sessions) as session:
        session.add(
            SeenRequest(signature="0" * 64, expires_at=datetime.now(UTC) - timedelta(seconds=1))
        )
    slack.command("/psif", "help")
    fake_slack.wait_for_responses()
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(SeenRequest.signature)).all() != ["0" * 64]
        assert session.scalar(select(func.count()).select_from(SeenRequest)) == 1


def test_the_error_handler_never_acts_on_a_request_that_reached_bolt_unverified(
    settings: Settings, deps: Deps, fake_slack: FakeSlack
) -> None:
    """Behind the door too: Bolt's own check raises on a timestamp of 'x', which used to
    send the error handler's apology to whatever response_url the body named."""
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


def test_expired_signatures_are_cleared_once_a_minute_not_on_every_request(deps: Deps) -> None:
    from datetime import UTC, datetime, timedelta
    from io import BytesIO

    from bot.slack.door import PURGE_EVERY_SECONDS, SlackDoor

    clock = [time.time()]
    let_in: list[bytes] = []

    def inner(environ: dict[str, Any], start_response: Any) -> list[bytes]:
        let_in.append(environ["wsgi.input"].read())
        start_response("200 OK", [])
        return [b""]

    door = SlackDoor(
        inner, signing_secret=SIGNING_SECRET, sessions=deps.sessions, wall_clock=lambda: clock[0]
    )

    def knock(body: bytes) -> str:
        stamp = str(int(clock[0]))
        statuses: list[str] = []
        environ = {
            "PATH_INFO": "/slack/events",
            "REQUEST_METHOD": "POST",
            "CONTENT_LENGTH": str(len(body)),
            "wsgi.input": BytesIO(body),
            "HTTP_X_SLACK_REQUEST_TIMESTAMP": stamp,
            "HTTP_X_SLACK_SIGNATURE": sign(SIGNING_SECRET, stamp, body),
        }
        door(environ, lambda status, _headers: statuses.append(status))
        return statuses[0]

    def expired_left() -> int:
        with transaction(deps.sessions) as session:
            cutoff = datetime.fromtimestamp(clock[0], UTC)
            expired = select(func.count()).where(SeenRequest.expires_at < cutoff)
            return session.scalar(expired.select_from(SeenRequest)) or 0

    assert knock(b"first") == "200 OK"
    with transaction(deps.sessions) as session:
        old = datetime.fromtimestamp(clock[0], UTC) - timedelta(seconds=1)
        session.add(SeenRequest(signature="0" * 64, expires_at=old))
    assert knock(b"second") == "200 OK"
    assert expired_left() == 1  # not cleared on every request
    assert knock(b"second") == "401 Unauthorized"  # a replay is still refused meanwhile
    clock[0] += PURGE_EVERY_SECONDS
    assert knock(b"third") == "200 OK"
    assert expired_left() == 0
    assert let_in == [b"first", b"second", b"third"]
