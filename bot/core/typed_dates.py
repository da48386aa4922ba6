"""Dates as council officers type them: "31/12/2026", "31 Dec 2026", "3 March", "2026-12-31",
and a few phrases ("today", "tomorrow", "Monday", "next week")."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta

_FORMATS = ("%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y", "%d %B %Y", "%d %b %Y", "%d-%m-%Y", "%d.%m.%Y")
_WITHOUT_YEAR = ("%d %B", "%d %b", "%d/%m")
_DAYS_AHEAD = {"today": 0, "tomorrow": 1, "next week": 7}
_WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# "3rd March", "Monday 3 March 2027": the ordinal suffix and the day name add nothing.
_ORDINAL = re.compile(r"\b(\d{1,2})(st|nd|rd|th)\b")
TYPED_DATE_EXAMPLES = "`31/12/2026`, `31 Dec 2026` or `2026-12-31`"


def _cleaned(text: str) -> str:
    words = " ".join(text.lower().replace(",", " ").split())
    words = _ORDINAL.sub(r"\1", words)
    first, _, rest = words.partition(" ")
    if rest and (first in _WEEKDAYS or first[:3] in {w[:3] for w in _WEEKDAYS}):
        return rest
    return words


def parse_typed_date(text: str, *, today: date) -> date | None:
    """The date meant, or None. A date without a year is the next one on or after today; a
    weekday is the next one after today."""
    words = _cleaned(text)
    if words in _DAYS_AHEAD:
        return today + timedelta(days=_DAYS_AHEAD[words])
    day_name = words.removeprefix("next ")
    if day_name in _WEEKDAYS or day_name in {w[:3] for w in _WEEKDAYS}:
        wanted = next(i for i, w in enumerate(_WEEKDAYS) if w.startswith(day_name))
        return today + timedelta(days=(wanted - today.weekday() - 1) % 7 + 1)
    for fmt in _FORMATS:
        try:
            return datetime.strptime(words, fmt).date()
        except ValueError:
            continue
    for fmt in _WITHOUT_YEAR:
        try:
            # A leap day needs a leap year to parse: read it with one, then place it.
            parsed = datetime.strptime(f"{words} 2000", f"{fmt} %Y").date()
        except ValueError:
            continue
        for year in (today.year, today.year + 1, today.year + 4):
            try:
                candidate = parsed.replace(year=year)
            except ValueError:
                continue
            if candidate >= today:
                return candidate
    return None
