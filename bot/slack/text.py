"""Formatting for everything users read: safe mrkdwn, mentions, lists and counts (dates are
written by bot.core.calendar)."""

from __future__ import annotations

from bot.core.people import REMOVED_PERSON, is_forgotten


def escape_mrkdwn(text: str) -> str:
    """The one rule for echoing what a person typed in mrkdwn or fallback `text`, so
    `<!channel>` or `<@U1>` is shown, not acted on (plain_text needs none)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape_slack(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def mention(user_id: str) -> str:
    return REMOVED_PERSON if is_forgotten(user_id) else f"<@{user_id}>"


def channel_link(channel_id: str) -> str:
    return f"<#{channel_id}>"


def join_words(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    return f"{', '.join(items[:-1])} and {items[-1]}" if len(items) > 1 else "".join(items)


def plural(count: int, singular: str, plural_form: str | None = None) -> str:
    """'1 response', '2 responses'."""
    word = singular if count == 1 else (plural_form or singular + "s")
    return f"{count} {word}"


def truncate(text: str, limit: int) -> str:
    """Cut to `limit` characters with an ellipsis, so Slack never rejects a long field."""
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
