"""Formatting for everything users read: UK English dates and safe mrkdwn."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def format_date(day: date) -> str:
    """'3 March 2027'."""
    return f"{day.day} {day:%B %Y}"


def format_day(day: date) -> str:
    """'Wednesday 3 March 2027'."""
    return f"{day:%A} {format_date(day)}"


def format_datetime(moment: datetime, zone: ZoneInfo) -> str:
    """'3 March 2027 at 09:00' in the given zone."""
    local = moment.astimezone(zone)
    return f"{format_date(local.date())} at {local:%H:%M}"


def escape_mrkdwn(text: str) -> str:
    """The one rule for echoing anything a person typed: in mrkdwn and in a message's
    fallback `text` alike, so `<!channel>`, `<@U1>` or `<https://x|y>` is shown, not acted
    on. (plain_text objects are never parsed, so they take the text as it is.)"""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_slack(text: str) -> str:
    """Undo Slack's escaping of &, < and > in text it sends us (slash-command text)."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


# What replaces the Slack id of someone forgotten (`/psif forget-me`, or the retention purge
# of a self-assessment), and how it reads wherever a mention would be. A forgotten voter's
# votes in a closed vote stay under FORGOTTEN plus a random suffix (see
# storage.repositories.forgetting), which reads the same.
FORGOTTEN = "forgotten"
REMOVED_PERSON = "a removed person"


def is_forgotten(user_id: str) -> bool:
    return user_id == FORGOTTEN or user_id.startswith(f"{FORGOTTEN}-")


def mention(user_id: str) -> str:
    return REMOVED_PERSON if is_forgotten(user_id) else f"<@{user_id}>"


def channel_link(channel_id: str) -> str:
    return f"<#{channel_id}>"


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " and " + items[-1]


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 response', '2 responses'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def truncate(text: str, limit: int) -> str:
    """Cut to `limit` characters with an ellipsis, so Slack never rejects a long field."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
