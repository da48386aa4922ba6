"""What the scheduler reasons about: open reviews, planned nudges, civil hours (09:00-18:00
on Scottish working days in the review's zone, even after downtime) and skip reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.calendar import aware, format_day, is_working_day, working_day_on_or_after
from bot.core.stages import Stage
from bot.core.timeline import Timeline

CIVIL_START = time(9, 0)
CIVIL_END = time(18, 0)
CHANNEL = "channel"
# How far back a pass looks for nudges missed in downtime (forget-me keeps records this long).
LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class OpenReview:
    id: int
    channel_id: str
    host_council: str
    focus: str
    stage: Stage
    timeline: Timeline
    zone: ZoneInfo
    opened_on: date
    team_id: str = ""  # the hosting workspace: its token sends the review's nudges


@dataclass(frozen=True)
class PlannedNudge:
    """A message a rule owes. `rule` is "<rule name>.<kind>" (the name is what `/psif
    reminders off` mutes); stale after `useful_until`; `payload` is handed back to `render`."""

    review_id: int
    rule: str
    day: date
    useful_until: date
    summary: str
    recipient: str = CHANNEL
    payload: dict[str, Any] = field(default_factory=dict)

    @property
    def key(self) -> tuple[int, str, date, str]:
        return (self.review_id, self.rule, self.day, self.recipient)


class SkipReason(StrEnum):
    MUTED = "muted"
    STALE = "stale"
    SNOOZED = "snoozed"
    CHANNEL_UNREACHABLE = "channel_unreachable"
    NO_LONGER_APPLIES = "no_longer_applies"
    REVIEW_CLOSED = "review_closed"


def rule_name(rule: str) -> str:
    return rule.split(".", 1)[0]


def when(day: date, today: date) -> str:
    """'today', 'tomorrow, Thursday 3 December 2026', 'in 7 days, on …'."""
    days = (day - today).days
    if days == 0:
        return f"today, {format_day(day)}"
    if days == 1:
        return f"tomorrow, {format_day(day)}"
    if days > 1:
        return f"in {days} days, on {format_day(day)}"
    return f"on {format_day(day)}"


def send_moment(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, CIVIL_START, tzinfo=zone)


def is_before_send_moment(moment: datetime, day: date, zone: ZoneInfo) -> bool:
    """Before 09:00 on `day` in `zone` (naive is UTC): no catch-up for what came later."""
    return aware(moment) < send_moment(day, zone)


def is_civil_hour(now: datetime, zone: ZoneInfo) -> bool:
    local = now.astimezone(zone)
    return is_working_day(local.date()) and CIVIL_START <= local.time() < CIVIL_END


def next_civil_moment(now: datetime, zone: ZoneInfo) -> datetime:
    if is_civil_hour(now, zone):
        return now.astimezone(UTC)
    local = now.astimezone(zone)
    day = local.date() if local.time() < CIVIL_START else local.date() + timedelta(days=1)
    return send_moment(working_day_on_or_after(day), zone).astimezone(UTC)


def skip_reason(
    *,
    rule: str,
    recipient: str,
    useful_until: date,
    today: date,
    muted: frozenset[str],
    channel_unreachable: bool,
    paused_through: date | None,
) -> SkipReason | None:
    """Why a due nudge is skipped instead of sent ("all" in `muted` mutes every rule)."""
    if "all" in muted or rule_name(rule) in muted:
        return SkipReason.MUTED
    if today > useful_until:
        return SkipReason.STALE
    if recipient == CHANNEL:
        if channel_unreachable:
            return SkipReason.CHANNEL_UNREACHABLE
    elif paused_through is not None and paused_through >= today:
        return SkipReason.SNOOZED
    return None
