"""The first half of a scheduler pass: record every nudge due now, once.

Only reviews whose hosting workspace still has the bot installed, and that are in their
civil hours, are planned; each planned nudge not yet in the ledger is written as pending,
or as skipped with its reason. What the pass learnt on the way (open reviews and their
zones, muted rules, unreachable channels, snoozes) is kept for handing over.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from bot.core.nudges import (
    LOOKBACK_DAYS,
    OpenReview,
    PlannedNudge,
    SkipReason,
    is_civil_hour,
    local_now,
    skip_reason,
)
from bot.reminders.planning import plan_nudges
from bot.reminders.rules import NudgeRule
from scheduler.pass_report import PassReport
from storage.models.reminders import NudgeStatus
from storage.repositories import nudges as ledger
from storage.repositories import reminders
from storage.repositories.reviews import load_open_reviews


@dataclass
class PassState:
    """What a pass learnt while recording, for handing over the nudges it claims."""

    reviews: dict[int, OpenReview]
    open_zones: dict[int, ZoneInfo]  # every open review, ready now or not
    muted: dict[int, frozenset[str]]
    unreachable: set[int]
    snoozes: dict[str, date]
    respondent_secret: bytes


def record_due(
    session: Session,
    now: datetime,
    default_zone: ZoneInfo,
    rules: Sequence[NudgeRule],
    report: PassReport,
    respondent_secret: bytes,
    installed: dict[str, bool],
) -> PassState:
    # A review's nudges go out only with its hosting workspace's token, never another's;
    # reviews of a workspace that uninstalled the bot are left out, as if closed (and one
    # opened since the tokens were looked up waits for the next pass).
    every_open = [
        review
        for review in load_open_reviews(session=session, default_zone=default_zone)
        if installed.get(review.team_id)
    ]
    civil = {zone: is_civil_hour(now, zone) for zone in {review.zone for review in every_open}}
    ready = [review for review in every_open if civil[review.zone]]
    state = PassState(
        reviews={review.id: review for review in ready},
        open_zones={review.id: review.zone for review in every_open},
        muted=reminders.muted_rules_of_open_reviews(session=session),
        unreachable=reminders.unreachable_review_ids(session=session),
        snoozes={},
        respondent_secret=respondent_secret,
    )
    if not ready:
        return state
    today = {zone: local_now(now, zone).date() for zone in civil}
    earliest = min(today.values()) - timedelta(days=LOOKBACK_DAYS)
    state.snoozes = reminders.snoozes_running(session=session, today=earliest)
    planned = plan_nudges(
        session=session,
        reviews=ready,
        window=lambda review: (
            today[review.zone] - timedelta(days=LOOKBACK_DAYS),
            today[review.zone],
        ),
        now=now,
        rules=rules,
        respondent_secret=respondent_secret,
    )
    if not planned:
        return state
    known = ledger.recorded_keys(session=session, since=earliest)
    rows: list[tuple[PlannedNudge, str, str | None]] = []
    for nudge in planned:
        if nudge.key in known:
            continue
        reason = _skip(nudge, state, today[state.reviews[nudge.review_id].zone])
        rows.append((nudge, NudgeStatus.SKIPPED if reason else NudgeStatus.PENDING, reason))
        if reason:
            report.count_skip(reason)
    zones = {review.id: review.zone.key for review in ready}
    ledger.record_nudges(session=session, nudges=rows, zones=zones, now=now)
    report.recorded = len(rows)
    return state


def _skip(nudge: PlannedNudge, state: PassState, today: date) -> SkipReason | None:
    return skip_reason(
        rule=nudge.rule,
        recipient=nudge.recipient,
        useful_until=nudge.useful_until,
        today=today,
        muted=state.muted.get(nudge.review_id, frozenset()),
        channel_unreachable=nudge.review_id in state.unreachable,
        paused_through=state.snoozes.get(nudge.recipient),
    )
