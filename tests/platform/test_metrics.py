"""GET /metrics in Prometheus's format: Slack requests and their acknowledgement time by
kind, the outbox's backlog and the age of its oldest item, and the scheduler's last passes."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from prometheus_client.parser import text_string_to_metric_families
from slack_sdk import WebClient

from bot.app import create_app
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.metrics import request_kind
from bot.settings import Settings
from bot.web import create_asgi_app
from scheduler.runner import build_scheduler
from storage.db import transaction
from storage.repositories.outbox import enqueue

from cli_helpers import base_env, free_port, run_cli
from conftest import SIGNING_SECRET, SettableClock
from fake_slack import FakeSlack
from slack_driver import SlackDriver

Samples = dict[tuple[str, tuple[tuple[str, str], ...]], float]


def scrape(url: str) -> Samples:
    with urllib.request.urlopen(f"{url}/metrics", timeout=10) as response:
        assert response.headers["content-type"].startswith("text/plain; version=")
        page = response.read().decode()
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(page)
        for sample in family.samples
    }


@pytest.fixture
def quiet_bot(settings: Settings, deps: Deps) -> Iterator[str]:
    """The app served without an outbox worker, so what is owed stays owed."""
    with serve_in_background(create_asgi_app(create_app(settings, deps), deps)) as url:
        yield url


def test_requests_and_their_acknowledgement_time_are_counted_by_kind(
    quiet_bot: str, fake_slack: FakeSlack
) -> None:
    command = ("psif_slack_requests_total", (("kind", "command"), ("status", "200")))
    acks = ("psif_slack_ack_seconds_count", (("kind", "command"),))
    before = scrape(quiet_bot)
    SlackDriver(quiet_bot, SIGNING_SECRET, fake_slack).command("/psif", "help")
    after = scrape(quiet_bot)
    assert after[command] == before.get(command, 0) + 1
    assert after[acks] == before.get(acks, 0) + 1


def test_the_kind_label_is_one_of_a_fixed_set() -> None:
    assert request_kind({"command": "/psif"}) == "command"
    assert request_kind({"type": "block_actions"}) == "block_actions"
    assert request_kind({"type": "event_callback", "event": {"type": "app_home_opened"}}) == "event"
    assert request_kind({"type": "anything a hostile body says"}) == "other"


def test_the_outbox_backlog_and_its_oldest_item_age(
    quiet_bot: str, deps: Deps, clock: SettableClock
) -> None:
    assert scrape(quiet_bot)[("psif_outbox_backlog", ())] == 0
    assert scrape(quiet_bot)[("psif_outbox_oldest_age_seconds", ())] == 0
    with transaction(deps.sessions) as session:
        for number in range(2):
            payload = {"channel": "C1", "text": f"owed {number}"}
            enqueue(
                session=session, team_id="T1", kind="message", payload=payload,
                now=clock(), lane="C1",
            )  # fmt: skip
    clock.advance(seconds=90)
    figures = scrape(quiet_bot)
    assert figures[("psif_outbox_backlog", ())] == 2
    assert figures[("psif_outbox_oldest_age_seconds", ())] == pytest.approx(90)


def test_the_scheduler_records_when_each_pass_last_finished(
    quiet_bot: str, deps: Deps, clock: SettableClock, fake_slack: FakeSlack
) -> None:
    scheduler = build_scheduler(deps, WebClient(token="xoxb-1", base_url=fake_slack.base_url))
    for job in scheduler.get_jobs():
        job.func(*job.args)
    figures = scrape(quiet_bot)
    for name in ("nudges", "votes", "retention"):
        key = ("psif_scheduler_last_pass_timestamp_seconds", (("pass", name),))
        assert figures[key] == clock().timestamp()


def test_serve_with_two_workers_counts_both_in_every_scrape(tmp_path: Path) -> None:
    env = base_env(tmp_path) | {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "s",
        "PORT": str(free_port()),
        "SLACK_API_URL": "http://127.0.0.1:9/api/",
    }
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{env['PORT']}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                scrape(url)
                break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        unsigned = urllib.request.Request(
            f"{url}/slack/events", data=b"command=%2Fpsif", method="POST"
        )
        for _ in range(4):
            with pytest.raises(urllib.error.HTTPError):
                urllib.request.urlopen(unsigned, timeout=5)
        refused = ("psif_slack_requests_total", (("kind", "command"), ("status", "401")))
        # Whichever process answers a scrape, it counts what both answered.
        assert [scrape(url)[refused] for _ in range(6)] == [4.0] * 6
    finally:
        server.terminate()
        server.wait(timeout=20)
