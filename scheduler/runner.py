"""`psif-bot scheduler`: its jobs, registered here only, with stable ids and an explicit time
zone; each pass decides what is due, so running it more often only costs a few queries."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.afis.service import close_due_votes
from bot.deps import Deps
from bot.metrics import record_scheduler_pass
from bot.privacy.service import purge_expired
from bot.self_assessment.service import seal_closed_rounds
from bot.slack.installations import ClientFor
from bot.slack.outbox import forget_finished
from bot.survey.service import forget_old_tries
from scheduler.nudge_pass import PassReport, run_pass

S = TypeVar("S", bound=BaseScheduler)
NUDGE_PASS_JOB_ID = "psif-nudge-pass"
RETENTION_JOB_ID = "psif-retention-pass"
VOTE_CLOSE_JOB_ID = "psif-vote-close"
# Each job's pass as GET /metrics names it.
PASS_NAMES = {
    NUDGE_PASS_JOB_ID: "nudges",
    RETENTION_JOB_ID: "retention",
    VOTE_CLOSE_JOB_ID: "votes",
}


def nudge_pass(deps: Deps, client: WebClient | ClientFor) -> PassReport:
    """`client`: the one bot's, or each review's hosting workspace's (many workspaces)."""
    return run_pass(
        deps.sessions,
        client,
        deps.now(),
        default_zone=deps.settings.timezone,
        respondent_secret=deps.respondent_secret,
    )


def retention_pass(deps: Deps) -> int:
    """Daily: forget old outbox items and survey tries, seal closed self-assessments, and
    purge reviews closed over PSIF_RETENTION_DAYS ago (how many)."""
    forget_finished(deps)
    seal_closed_rounds(deps)
    forget_old_tries(deps)
    return purge_expired(deps, now=deps.now())


vote_close_pass = close_due_votes  # closing time passed (how many); running twice is harmless


def build_scheduler(deps: Deps, client: WebClient | ClientFor) -> BlockingScheduler:
    """The `psif-bot scheduler` process's scheduler."""
    return _with_jobs(BlockingScheduler(timezone=deps.settings.timezone), deps, client)


def start_in_background(deps: Deps, client: WebClient | ClientFor) -> BackgroundScheduler:
    """For `psif-bot socket --scheduler`: the same jobs on a thread of the bot's process."""
    scheduler = _with_jobs(BackgroundScheduler(timezone=deps.settings.timezone), deps, client)
    scheduler.start()
    return scheduler


def _with_jobs(scheduler: S, deps: Deps, client: WebClient | ClientFor) -> S:
    def add(
        job: Callable[..., object],
        args: tuple[object, ...],
        job_id: str,
        name: str,
        grace: int,
        **when: object,
    ) -> None:
        def run_and_record(*job_args: object) -> None:
            job(*job_args)
            record_scheduler_pass(deps, PASS_NAMES[job_id])

        scheduler.add_job(
            run_and_record,
            CronTrigger(**when, timezone=deps.settings.timezone),
            args=args,
            id=job_id,
            name=name,
            replace_existing=True,
            coalesce=True,  # after a stall, one pass catches up; no burst of passes
            max_instances=1,
            misfire_grace_time=grace,
        )

    # Every 5 minutes on the clock, so 09:00 nudges leave at 09:00.
    add(nudge_pass, (deps, client), NUDGE_PASS_JOB_ID, "Send due nudges", 240, minute="*/5")
    name = "Purge personal data past PSIF_RETENTION_DAYS"
    add(retention_pass, (deps,), RETENTION_JOB_ID, name, 6 * 3600, hour=3, minute=17)
    # Votes with a closing time: checked every minute, so "closes at 17:00" means 17:00.
    name = "Close votes whose closing time has passed"
    add(vote_close_pass, (deps,), VOTE_CLOSE_JOB_ID, name, 240, minute="*")
    return scheduler
