"""Reviews with chosen dates, and scheduler passes at chosen moments, for the scheduler tests.

A pass hands its nudges to the outbox; `run_at` then delivers the outbox as the scheduler
process's worker would, until nothing is left to send (retries included).
"""

from __future__ import annotations

import time
from dataclasses import replace
from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.app import outbox_worker
from bot.core.roles import Role
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.reminders._rule import NudgeRule, Rendering
from bot.slack.blocks import Message
from bot.slack.client import new_client
from bot.slack.installations import ClientFor
from scheduler.nudge_pass import PassReport, run_pass
from storage.db import transaction
from storage.models.outbox import OutboxStatus
from storage.models.reminders import Nudge
from storage.models.reviews import Review
from storage.repositories.outbox import items

from conftest import BOT_TOKEN
from factories import make_review

LONDON = ZoneInfo("Europe/London")
OPENED = datetime(2026, 11, 10, 10, 0, tzinfo=UTC)


def utc(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=UTC)


def add_review(
    deps: Deps,
    *,
    channel: str = "CREVIEW",
    opened: datetime = OPENED,
    stage: Stage = Stage.PRE_WORK,
    timezone: str | None = None,
    **dates: date,
) -> int:
    with transaction(deps.sessions) as session:
        review = make_review(
            session,
            members=(
                ("UHOST", Role.HOST_LEAD),
                ("UIS", Role.IS_LEAD),
                ("USTAKE", Role.STAKEHOLDER),
            ),
            channel=channel,
            peer_councils=("Angus", "Stirling", "Moray"),
            timeline=Timeline(**dates),
            now=opened,
        )
        session.execute(
            update(Review)
            .where(Review.id == review.id)
            .values(stage=stage.value, timezone=timezone)
        )
        return review.id


def client_for(fake: FakeSlack, *, timeout: int = 10) -> WebClient:
    return new_client(token=BOT_TOKEN, base_url=fake.base_url, timeout=timeout)


def run_at(
    deps: Deps,
    fake: FakeSlack,
    moment: datetime,
    *,
    rules: tuple[NudgeRule, ...] | None = None,
    client: WebClient | ClientFor | None = None,
    deliver: bool = True,
) -> PassReport:
    """One pass at `moment`, then (unless `deliver` is False) the outbox delivered with
    `client` (or each review's workspace's client)."""
    client = client or client_for(fake)
    report = run_pass(
        deps.sessions,
        client,
        moment,
        default_zone=LONDON,
        respondent_secret=deps.respondent_secret,
        rules=rules,
    )
    if deliver:
        deliver_outbox(deps, client)
    return report


def deliver_outbox(deps: Deps, client: WebClient | ClientFor, timeout: float = 20.0) -> None:
    """Deliver everything owed, retries included, as the scheduler process's worker would."""

    def workspace_client(team_id: str) -> WebClient:
        found = client if isinstance(client, WebClient) else client(team_id)
        assert found is not None, f"no client for workspace {team_id}"
        return found

    worker = outbox_worker(deps, workspace_client)
    deadline = time.monotonic() + timeout
    while outbox_waiting(deps):
        assert time.monotonic() < deadline, "the outbox still has items to deliver"
        if not worker.deliver_due():
            time.sleep(0.02)  # a retry waiting out its backoff or Retry-After


def outbox_waiting(deps: Deps) -> int:
    with transaction(deps.sessions) as session:
        return len(items(session=session, statuses=[OutboxStatus.PENDING, OutboxStatus.SENDING]))


def posts(fake: FakeSlack, channel: str = "CREVIEW") -> list[dict[str, Any]]:
    """Successful chat.postMessage calls to `channel`, oldest first."""
    return [
        call.args
        for call in fake.calls_to("chat.postMessage")
        if call.ok and call.args["channel"] == channel
    ]


def nudges(deps: Deps, **where: Any) -> list[Nudge]:
    with transaction(deps.sessions) as session:
        query = select(Nudge).order_by(Nudge.id)
        for name, value in where.items():
            query = query.where(getattr(Nudge, name) == value)
        return list(session.scalars(query))


class Died(BaseException):
    """The scheduler process dying mid-pass (not an error a pass could handle)."""


def _die(_rendering: Rendering) -> Message:
    raise Died


def die_after_recording(deps: Deps, fake: FakeSlack, moment: datetime, rule: NudgeRule) -> None:
    """A pass at `moment` that records `rule`'s nudges, then dies before handing any over."""
    with pytest.raises(Died):
        run_at(deps, fake, moment, rules=(replace(rule, render=_die),))
