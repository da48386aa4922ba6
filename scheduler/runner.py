"""`psif-bot scheduler`: the nudge pass, every few minutes, in its own process.

Jobs are registered here and only here, with stable ids and an explicit time zone. Each job
is a plain function of (session factory, Slack client, now); the pass itself decides what is
due, so running it more often only costs a few queries.
"""

from __future__ import annotations

from apscheduler.schedulers.background import BackgroundScheduler
from apscheduler.schedulers.base import BaseScheduler
from apscheduler.schedulers.blocking import BlockingScheduler
from apscheduler.triggers.cron import CronTrigger
from slack_sdk import WebClient

from bot.afis.service import close_due_votes
from bot.deps import Deps
from bot.slack.installations import ClientFor
from bot.slack.outbox import forget_finished
from scheduler.nudge_pass import run_pass
from scheduler.pass_report import PassReport
from scheduler.retention import purge_expired_reviews

NUDGE_PASS_JOB_ID = "psif-nudge-pass"
RETENTION_JOB_ID = "psif-retention-pass"
VOTE_CLOSE_JOB_ID = "psif-vote-close"
# Every 5 minutes on the clock, so 09:00 nudges leave at 09:00.
NUDGE_PASS_MINUTES = "*/5"


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
    """Daily: purge closed reviews' personal data past retention (returns how many reviews),
    and forget outbox items delivered over a week ago."""
    forget_finished(deps)
    return purge_expired_reviews(deps)


def vote_close_pass(deps: Deps) -> int:
    """Close the votes whose closing time has passed (how many); running twice is harmless."""
    return close_due_votes(deps)


def build_scheduler(deps: Deps, client: WebClient | ClientFor) -> BlockingScheduler:
    """The `psif-bot scheduler` process's scheduler."""
    scheduler = BlockingScheduler(timezone=deps.settings.timezone)
    register_jobs(scheduler, deps, client)
    return scheduler


def start_in_background(deps: Deps, client: WebClient | ClientFor) -> BackgroundScheduler:
    """For `psif-bot socket --scheduler`: the same jobs on a thread of the bot's process."""
    scheduler = BackgroundScheduler(timezone=deps.settings.timezone)
    register_jobs(scheduler, deps, client)
    scheduler.start()
    return scheduler


def register_jobs(scheduler: BaseScheduler, deps: Deps, client: WebClient | ClientFor) -> None:
    zone = deps.settings.timezone
    scheduler.add_job(
        nudge_pass,
        CronTrigger(minute=NUDGE_PASS_MINUTES, timezone=zone),
        args=(deps, client),
        id=NUDGE_PASS_JOB_ID,
        name="Send due nudges",
        replace_existing=True,
        coalesce=True,  # after a stall, one pass catches up; no burst of passes
        max_instances=1,
        misfire_grace_time=240,
    )
    scheduler.add_job(
        retention_pass,
        CronTrigger(hour=3, minute=17, timezone=zone),
        args=(deps,),
        id=RETENTION_JOB_ID,
        name="Purge personal data past PSIF_RETENTION_DAYS",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=6 * 3600,
    )
    # Votes with a closing time: checked every minute, so "closes at 17:00" means 17:00.
    scheduler.add_job(
        vote_close_pass,
        CronTrigger(minute="*", timezone=zone),
        args=(deps,),
        id=VOTE_CLOSE_JOB_ID,
        name="Close votes whose closing time has passed",
        replace_existing=True,
        coalesce=True,
        max_instances=1,
        misfire_grace_time=240,
    )
