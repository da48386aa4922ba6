"""Reviews with chosen dates, and scheduler passes at chosen moments, for the scheduler tests."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy import select, update

from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.reviews.roles import Role
from bot.reviews.stages import Stage
from bot.reviews.timeline import Timeline
from bot.slack.client import new_client
from bot.slack.installations import ClientFor
from scheduler.nudge_pass import PassReport, run_pass
from scheduler.rules import NudgeRule
from storage.db import transaction
from storage.models.reminders import Nudge
from storage.models.reviews import Review
from storage.repositories.reviews import NewReview, create_review

from conftest import BOT_TOKEN

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
    new = NewReview(
        team_id="T0001",
        channel_id=channel,
        host_council="Fife",
        focus="Roads maintenance",
        rationale="",
        peer_councils=("Angus", "Stirling", "Moray"),
        peer_rationale="",
        timeline=Timeline(**dates),
        members=(("UHOST", Role.HOST_LEAD), ("UIS", Role.IS_LEAD), ("USTAKE", Role.STAKEHOLDER)),
    )
    with transaction(deps.sessions) as session:
        review = create_review(session=session, new=new, actor_id="UHOST", now=opened)
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
) -> PassReport:
    return run_pass(
        deps.sessions,
        client or client_for(fake),
        moment,
        default_zone=LONDON,
        respondent_secret=deps.respondent_secret,
        rules=rules,
    )


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
