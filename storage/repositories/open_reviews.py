"""Open reviews as the scheduler sees them: plain facts (dates, stage, time zone) that the
reminder rules plan nudges from, read in one query per pass."""

from __future__ import annotations

import logging
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.nudges import OpenReview
from bot.core.stages import Stage
from bot.core.timeline import Timeline
from storage.models.reviews import Review
from storage.repositories.reviews import timeline_of

logger = logging.getLogger(__name__)


def _zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    if not name:
        return default
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        # A bad zone name must not stop every other review's reminders.
        logger.warning("review time zone %r is unknown; using %s", name, default.key)
        return default


def _utc_date(moment: datetime) -> date:
    # SQLite hands back naive UTC; PostgreSQL hands back aware times in the session's zone.
    return moment.date() if moment.tzinfo is None else moment.astimezone(UTC).date()


def open_review_facts(review: Review, *, default_zone: ZoneInfo) -> OpenReview:
    return OpenReview(
        id=review.id,
        channel_id=review.channel_id,
        host_council=review.host_council,
        focus=review.focus,
        stage=Stage(review.stage),
        timeline=timeline_of(review),
        zone=_zone(review.timezone, default_zone),
        opened_on=_utc_date(review.created_at),
        team_id=review.team_id,
    )


def load_open_reviews(*, session: Session, default_zone: ZoneInfo) -> list[OpenReview]:
    """Every open review, in one query of plain columns (no ORM objects: this runs each pass)."""
    rows = session.execute(
        select(
            Review.id,
            Review.team_id,
            Review.channel_id,
            Review.host_council,
            Review.focus,
            Review.stage,
            Review.timezone,
            Review.initial_meeting,
            Review.fieldwork_start,
            Review.fieldwork_end,
            Review.pre_meeting,
            Review.draft_report,
            Review.leads_meeting,
            Review.final_report,
            Review.created_at,
        )
        .where(Review.closed_at.is_(None))
        .order_by(Review.id)
    )
    zones: dict[str | None, ZoneInfo] = {}
    reviews = []
    for row in rows:
        zone = zones.get(row.timezone)
        if zone is None:
            zone = zones[row.timezone] = _zone(row.timezone, default_zone)
        reviews.append(
            OpenReview(
                id=row.id,
                channel_id=row.channel_id,
                host_council=row.host_council,
                focus=row.focus,
                stage=Stage(row.stage),
                timeline=Timeline(
                    initial_meeting=row.initial_meeting,
                    fieldwork_start=row.fieldwork_start,
                    fieldwork_end=row.fieldwork_end,
                    pre_meeting=row.pre_meeting,
                    draft_report=row.draft_report,
                    leads_meeting=row.leads_meeting,
                    final_report=row.final_report,
                ),
                zone=zone,
                opened_on=_utc_date(row.created_at),
                team_id=row.team_id,
            )
        )
    return reviews
