"""What the scheduler reasons about, free of Slack and the database: open reviews, planned
nudges, civil hours and why a nudge is skipped.

Civil hours: a nudge for day D goes out from 09:00 on D in the review's time zone (the
review's `timezone`, else the bot's), only on Scottish working days and before 18:00, so
nothing arrives at night, at weekends or on a bank holiday — including after downtime.
Times are computed with zoneinfo, so 09:00 stays 09:00 across the clock changes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from bot.core.calendar import aware, format_day, is_working_day
from bot.core.stages import Stage
from bot.core.timeline import Timeline

CIVIL_START = time(9, 0)
CIVIL_END = time(18, 0)
CHANNEL = "channel"
# How far back a scheduler pass looks for nudges missed during downtime; forget-me keeps
# reminder records this recent so that none is sent twice.
LOOKBACK_DAYS = 7


@dataclass(frozen=True)
class OpenReview:
    """What rules need to know about an open review, loaded once per pass for all reviews."""

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
    """A message a rule says is owed.

    `rule` is "<rule name>.<kind>", e.g. "timeline.pre_meeting.week_before"; the part before
    the first dot is what `/psif reminders off <name>` mutes. `day` is the working day it
    goes out (at 09:00 local); after `useful_until` it is stale and recorded as skipped.
    `recipient` is CHANNEL or a Slack user id (a direct message). `payload` is stored with
    the nudge and handed back to the rule's `render`, so any scheduler process can send it.
    """

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
    """The rule a nudge's rule key belongs to: what `/psif reminders off <name>` mutes."""
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
    """09:00 on `day` in `zone`, as an aware datetime."""
    return datetime.combine(day, CIVIL_START, tzinfo=zone)


def is_before_send_moment(moment: datetime, day: date, zone: ZoneInfo) -> bool:
    """True if `moment` came before 09:00 on `day` in `zone` (a naive moment is UTC, as SQLite
    gives it back). Rules plan only nudges whose moment came after their subject existed: an
    action logged or a person invited later gets no late "catch-up" for a moment before it."""
    return aware(moment) < send_moment(day, zone)


def is_civil_hour(now: datetime, zone: ZoneInfo) -> bool:
    """True on a working day between 09:00 and 18:00 in `zone`."""
    local = now.astimezone(zone)
    return is_working_day(local.date()) and CIVIL_START <= local.time() < CIVIL_END


def next_civil_moment(now: datetime, zone: ZoneInfo) -> datetime:
    """The first moment at or after `now` when a message may go out in `zone`, in UTC."""
    if is_civil_hour(now, zone):
        return now.astimezone(UTC)
    local = now.astimezone(zone)
    day = local.date() if local.time() < CIVIL_START else local.date() + timedelta(days=1)
    while not is_working_day(day):
        day += timedelta(days=1)
    return send_moment(day, zone).astimezone(UTC)


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
    """Why a due nudge should be recorded as skipped instead of sent, or None to send it.

    `muted` holds the review's muted rule names ("all" mutes every rule).
    """
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
