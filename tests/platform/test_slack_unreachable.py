"""Slack out of reach (a firewall, a proxy, an outage) is named as such: at start, in the log,
and to the person whose request needed it; and Socket Mode refuses what it can't do."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from bot.app import create_app, outbox_worker
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.settings import Settings
from bot.slack.failures import CANT_REACH_SLACK, check_at_start
from bot.web import create_asgi_app

from action_helpers import wait_until
from cli_helpers import base_env, free_port, run_cli
from conftest import SIGNING_SECRET
from fake_slack import FakeSlack
from slack_driver import SlackDriver


def closed_api_url() -> str:
    return f"http://127.0.0.1:{free_port()}/api/"


def test_start_up_names_a_slack_that_cant_be_reached(fake_slack: FakeSlack) -> None:
    closed = closed_api_url()
    line = check_at_start(closed)
    assert line is not None
    assert line.startswith(f"Slack can't be reached at {closed} (")
    assert line.endswith("): check the network, proxy or firewall.")
    assert check_at_start(fake_slack.base_url) is None


def test_a_request_that_needs_slack_is_told_slack_cant_be_reached(
    settings: Settings,
    deps: Deps,
    fake_slack: FakeSlack,
    caplog: pytest.LogCaptureFixture,
) -> None:
    closed = closed_api_url()
    cut_off = settings.model_copy(update={"slack_api_url": closed})
    deps.settings = cut_off
    app = create_asgi_app(create_app(cut_off, deps), deps)
    # The answer goes back through the request's response_url (the fake's), which answers.
    with caplog.at_level(logging.WARNING), outbox_worker(deps), serve_in_background(app) as url:
        reply, _trigger, _response_url = SlackDriver(url, SIGNING_SECRET, fake_slack).command(
            "/psif", "start"
        )
        assert reply.status == 200
        wait_until(lambda: bool(fake_slack.responses), "an answer to /psif start")
    assert [response.body.get("text") for response in fake_slack.responses] == [CANT_REACH_SLACK]
    assert f"Slack can't be reached at {closed}" in caplog.text
    assert "unhandled error" not in caplog.text


def socket_env(tmp_path: Path, **values: str) -> dict[str, str]:
    return (
        base_env(tmp_path)
        | {"SLACK_SIGNING_SECRET": "s", "SLACK_APP_TOKEN": "xapp-1", "SLACK_BOT_TOKEN": "xoxb-1"}
        | values
    )


def test_socket_mode_refuses_oauth_settings_with_one_line(tmp_path: Path) -> None:
    env = socket_env(tmp_path, SLACK_CLIENT_ID="1.2", SLACK_CLIENT_SECRET="c")
    del env["SLACK_BOT_TOKEN"]
    result = run_cli("socket", env=env, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "Socket Mode can't install the bot in many workspaces: unset SLACK_CLIENT_ID and "
        "SLACK_CLIENT_SECRET and set SLACK_BOT_TOKEN, or serve over HTTP with `psif-bot serve`."
    ]


def test_socket_mode_without_slack_stops_with_one_line_naming_it(tmp_path: Path) -> None:
    closed = closed_api_url()
    result = run_cli("socket", env=socket_env(tmp_path, SLACK_API_URL=closed), cwd=tmp_path)
    assert result.returncode == 2
    # SQLite is migrated first (logged); then one line.
    [line] = [line for line in result.stderr.splitlines() if line.startswith("psif-bot")]
    assert line.startswith(f"psif-bot can't start: Slack can't be reached at {closed} (")
    assert "Traceback" not in result.stderr
