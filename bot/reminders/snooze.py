"""Reading `/psif snooze 7d | 2w | next week | until Monday | until 10/03/2027 | off`."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.typed_dates import parse_typed_date
from bot.slack.text import escape_mrkdwn, unescape_slack

MAX_SNOOZE_DAYS = 365
USAGE = (
    "Type `/psif snooze 7d`, `/psif snooze next week`, `/psif snooze until Monday`, "
    "`/psif snooze until 10/03/2027` or `/psif snooze off`."
)
_LENGTH = re.compile(r"^(\d{1,3})\s*(d|day|days|w|wk|week|weeks)$")


class SnoozeError(ValueError):
    """What the user typed isn't a snooze we understand; the message says what to type."""


@dataclass(frozen=True)
class SnoozeRequest:
    """`paused_through` is the last paused day; None means "show my snooze" or, with
    `off`, "stop snoozing"."""

    paused_through: date | None = None
    off: bool = False


def parse_snooze(args: str, *, today: date) -> SnoozeRequest:
    text = " ".join(args.lower().split())
    if not text:
        return SnoozeRequest()
    if text in ("off", "stop", "cancel", "end"):
        return SnoozeRequest(off=True)
    if text in ("next week", "a week"):
        text = "1w"
    if text.startswith("until "):
        day = parse_typed_date(text.removeprefix("until ").strip(), today=today)
        if day is None:
            raise SnoozeError(f"I couldn't read that date. {USAGE}")
        if day < today:
            raise SnoozeError("That date has already passed. Pick today or a later date.")
    else:
        match = _LENGTH.match(text)
        if match is None:
            shown = escape_mrkdwn(unescape_slack(args.strip()))
            raise SnoozeError(f"I didn't understand `{shown}`. {USAGE}")
        count = int(match.group(1)) * (7 if match.group(2).startswith("w") else 1)
        if count < 1:
            raise SnoozeError(f"Snooze for at least 1 day. {USAGE}")
        day = today + timedelta(days=count - 1)
    if (day - today).days >= MAX_SNOOZE_DAYS:
        raise SnoozeError("You can snooze for up to a year at a time.")
    return SnoozeRequest(paused_through=day)
