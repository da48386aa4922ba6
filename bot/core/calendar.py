"""Scottish working days (weekends and Scottish bank holidays are not working days), and the
one way to write a date: "3 March 2027"."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays


@lru_cache(maxsize=64)
def _scottish_holidays(year: int) -> dict[date, str]:
    # Without subdiv="SCT" the package misses 2 January, the August holiday and St Andrew's Day.
    return dict(holidays.country_holidays("GB", subdiv="SCT", years=year).items())


def is_working_day(day: date) -> bool:
    return day.weekday() < 5 and day not in _scottish_holidays(day.year)


def why_not_working(day: date) -> str | None:
    """ "a Saturday", "Saint Andrew's Day, a Scottish bank holiday"; None for a working day."""
    if day.weekday() >= 5:
        return f"a {day.strftime('%A')}"
    name = _scottish_holidays(day.year).get(day)
    return f"{name}, a Scottish bank holiday" if name else None


def working_day_on_or_before(day: date) -> date:
    while not is_working_day(day):
        day -= timedelta(days=1)
    return day


def working_day_on_or_after(day: date) -> date:
    while not is_working_day(day):
        day += timedelta(days=1)
    return day


def previous_working_day(day: date) -> date:
    return working_day_on_or_before(day - timedelta(days=1))


def working_days_between(start: date, end: date) -> int:
    """Working days from start to end inclusive."""
    days = (end - start).days + 1
    return sum(is_working_day(start + timedelta(days=n)) for n in range(days))


def aware(moment: datetime) -> datetime:
    """A stored moment as an aware one: SQLite gives them back naive, in UTC."""
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def format_date(day: date) -> str:
    """'3 March 2027'."""
    return f"{day.day} {day:%B %Y}"


def format_date_range(start: date, end: date) -> str:
    """ "3 to 5 March 2027", "28 February to 3 March 2027", or one day: "3 March 2027"."""
    if start == end:
        return format_date(start)
    if start.year != end.year:
        return f"{format_date(start)} to {format_date(end)}"
    if start.month != end.month:
        return f"{start.day} {start:%B} to {format_date(end)}"
    return f"{start.day} to {format_date(end)}"


def format_day(day: date) -> str:
    """'Wednesday 3 March 2027'."""
    return f"{day:%A} {format_date(day)}"


def format_datetime(moment: datetime, zone: ZoneInfo) -> str:
    """'3 March 2027 at 09:00' in the given zone."""
    local = moment.astimezone(zone)
    return f"{format_date(local.date())} at {local:%H:%M}"
