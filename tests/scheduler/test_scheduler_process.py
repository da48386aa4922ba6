"""`psif-bot scheduler`: its APScheduler job, and `--once` against a real database."""

from __future__ import annotations

from datetime import date

import pytest

from bot.cli import main
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from scheduler.runner import (
    NUDGE_PASS_JOB_ID,
    RETENTION_JOB_ID,
    VOTE_CLOSE_JOB_ID,
    build_scheduler,
    start_in_background,
)

from conftest import BOT_TOKEN, RESPONDENT_SECRET, SIGNING_SECRET, TestDatabase
from nudge_helpers import add_review, client_for, nudges


def test_the_scheduler_registers_its_jobs_with_stable_ids_and_explicit_zone(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    scheduler = build_scheduler(deps, client_for(fake_slack))
    jobs = scheduler.get_jobs()
    assert [job.id for job in jobs] == [NUDGE_PASS_JOB_ID, RETENTION_JOB_ID, VOTE_CLOSE_JOB_ID]
    assert all(str(job.trigger.timezone) == "Europe/London" for job in jobs)
    assert str(scheduler.timezone) == "Europe/London"


def test_scheduler_once_runs_one_pass_and_exits(
    db: TestDatabase, deps: Deps, fake_slack: FakeSlack, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The real clock: a review whose dates are all long past has only stale nudges at most.
    add_review(deps, pre_meeting=date(2020, 1, 10))
    for name, value in {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "PSIF_RESPONDENT_SECRET": RESPONDENT_SECRET,
        "DATABASE_URL": db.url,
        "SLACK_API_URL": fake_slack.base_url,
    }.items():
        monkeypatch.setenv(name, value)
    assert main(["scheduler", "--once"]) == 0
    assert all(nudge.status != "pending" for nudge in nudges(deps))


def test_socket_mode_can_run_the_same_job_in_the_background(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    scheduler = start_in_background(deps, client_for(fake_slack))
    try:
        # A started scheduler lists its jobs by next run time.
        assert {job.id for job in scheduler.get_jobs()} == {
            NUDGE_PASS_JOB_ID,
            RETENTION_JOB_ID,
            VOTE_CLOSE_JOB_ID,
        }
    finally:
        scheduler.shutdown(wait=False)
