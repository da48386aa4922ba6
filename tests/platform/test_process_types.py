"""The process types: `serve` (web) never loads matplotlib, python-docx or openpyxl; `psif-bot
worker` draws the charts and writes the documents the web processes owe."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

from sqlalchemy import select

from bot.core.checklist import Answer
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.settings import Settings
from bot.web import web_process
from storage.db import transaction
from storage.models.outbox import OutboxItem, OutboxStatus

from action_helpers import CHANNEL, wait_until
from conftest import (
    BOT_TOKEN,
    POSTGRES_ENV,
    RESPONDENT_SECRET,
    SIGNING_SECRET,
    SettableClock,
    TestDatabase,
)
from fake_slack import FakeSlack
from fieldwork_helpers import AFTER_FIELDWORK, seed_fieldwork_review, seed_self_assessment, uploads
from slack_driver import SlackDriver

TESTS = Path(__file__).resolve().parent.parent
SCENARIO = Path(__file__).with_name("web_process_scenario.py")


def test_a_web_process_never_loads_matplotlib_python_docx_or_openpyxl(
    db: TestDatabase,
) -> None:
    """In a fresh interpreter: this one has them loaded by other tests."""
    env = {key: value for key, value in os.environ.items() if key != POSTGRES_ENV}
    if db.backend == "postgresql":
        env[POSTGRES_ENV] = os.environ[POSTGRES_ENV]
    pytest = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    run = subprocess.run(
        [*pytest, "-k", db.backend, str(SCENARIO)],
        cwd=TESTS.parent,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]


def test_the_worker_process_draws_the_chart_and_writes_the_draft(
    settings: Settings,
    deps: Deps,
    db: TestDatabase,
    fake_slack: FakeSlack,
    tmp_path: Path,
    clock: SettableClock,
) -> None:
    clock.set(AFTER_FIELDWORK)  # the draft follows fieldwork (3–5 March 2027)
    seeded = seed_fieldwork_review(deps.sessions)
    seed_self_assessment(deps, seeded.review_id, [Answer.AGREE] * 5)
    worker = start_worker(db, fake_slack, tmp_path)
    try:
        with serve_in_background(web_process(settings, deps)) as url:
            slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
            slack.command("/psif", "results", user="UHOST", channel=CHANNEL)
            slack.command("/psif", "report", user="UHOST", channel=CHANNEL)
            wait_until(
                lambda: bool(uploads(fake_slack, ".png") and uploads(fake_slack, ".docx")),
                "the chart and the draft from the worker process",
                timeout=30,  # the worker asks Slack and analyses first, then draws and writes
            )
        [chart] = uploads(fake_slack, ".png")
        assert chart.content is not None and chart.content.startswith(b"\x89PNG")
        assert chart.channel_id == CHANNEL
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
    assert worker.returncode == 0, errors
    assert "Traceback" not in errors


def test_serve_only_answers_and_the_worker_posts(
    settings: Settings,
    deps: Deps,
    db: TestDatabase,
    fake_slack: FakeSlack,
    tmp_path: Path,
    clock: SettableClock,
) -> None:
    """serve runs no outbox thread: what it owes, light kinds too, waits for the worker."""
    clock.set(AFTER_FIELDWORK)
    seeded = seed_fieldwork_review(deps.sessions)
    seed_self_assessment(deps, seeded.review_id, [Answer.AGREE] * 5)
    with serve_in_background(web_process(settings, deps)) as url:
        slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
        slack.command("/psif", "results", user="UHOST", channel=CHANNEL)
        slack.open_home("UHOST")
        wait_until(lambda: "home" in owed_kinds(deps), "the Home tab owed")
        assert "results_request" in owed_kinds(deps)
        assert not [t.name for t in threading.enumerate() if t.name.startswith("psif-outbox")]
        assert not fake_slack.messages_in(CHANNEL)
    worker = start_worker(db, fake_slack, tmp_path)
    try:
        wait_until(
            lambda: any("results" in m["text"] for m in fake_slack.messages_in(CHANNEL)),
            "the results message from the worker process",
        )
        wait_until(lambda: not owed_kinds(deps), "the Home tab from the worker process")
    finally:
        worker.send_signal(signal.SIGTERM)
        _, errors = worker.communicate(timeout=30)
    assert worker.returncode == 0, errors


def owed_kinds(deps: Deps) -> set[str]:
    with transaction(deps.sessions) as session:
        return set(
            session.scalars(
                select(OutboxItem.kind).where(OutboxItem.status == OutboxStatus.PENDING)
            )
        )


def start_worker(
    db: TestDatabase, fake_slack: FakeSlack, cwd: Path, **settings: str
) -> subprocess.Popen[str]:
    """`psif-bot worker` in a process of its own, on the test's database and fake Slack."""
    env = {
        "PATH": os.environ.get("PATH", ""),
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "PSIF_RESPONDENT_SECRET": RESPONDENT_SECRET,
        "DATABASE_URL": db.url,
        "SLACK_API_URL": fake_slack.base_url,
        **settings,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "worker"],
        cwd=cwd,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
