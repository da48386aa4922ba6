"""Hostile text, and a check that what the bot renders has no live Slack markup in it.

Whatever a person typed is shown, never acted on: no `<!channel>`, `<!here>`,
`<!everyone>`, `<@…>`, `<#…>` or disguised link may reach a mrkdwn field or a fallback
`text`, except mentions of the people and channels that came from Slack's pickers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import fields, is_dataclass
from typing import Any

from hypothesis import strategies as st

PICKED_USERS = ("UHOST", "UIS", "UOWNER", "UPEER")
PICKED_CHANNEL = "CREVIEW"

HOSTILE_SNIPPETS = (
    "<!channel>",
    "<!here>",
    "<!everyone>",
    "<!subteam^S123|team>",
    "<@UEVIL>",
    "<#CEVIL>",
    "<https://evil.example|Click me>",
    "<mailto:a@evil.example|mail>",
    "&lt;!channel&gt;",
    "*bold* _it_ ~s~ `code`",
    "<",
    ">",
    "&",
    "|",
    "\n> quoted",
)
# Ids the bot mentions come from pickers; typed text may not mint them (no digits here).
hostile = st.lists(
    st.one_of(
        st.sampled_from(HOSTILE_SNIPPETS),
        st.text(alphabet="<>!@#|&;^:/ abcUCEVIL", max_size=12),
    ),
    min_size=1,
    max_size=6,
).map("".join)
user_ids = st.sampled_from(PICKED_USERS)


def allowed_markup(users: Iterable[str], channels: Iterable[str]) -> re.Pattern[str]:
    """The markup the bot itself writes: mentions of picked people and channels, dates."""
    return re.compile(
        "|".join(
            [
                *(re.escape(f"<@{user}>") for user in users),
                *(re.escape(f"<#{channel}>") for channel in channels),
                r"<!date\^\d+\^[^|<>]*\|[^<>]*>",
            ]
        )
    )


ALLOWED = allowed_markup(PICKED_USERS, [PICKED_CHANNEL])
NOT_PARSED = frozenset({"initial_value", "value", "private_metadata", "action_id", "block_id"})


def mrkdwn_texts(output: Any) -> list[str]:
    """Every string Slack parses as mrkdwn: fallback texts, replies, mrkdwn objects."""
    if isinstance(output, str):
        return [output]
    if isinstance(output, list | tuple):
        return [text for item in output for text in mrkdwn_texts(item)]
    if is_dataclass(output) and not isinstance(output, type):
        return [text for f in fields(output) for text in mrkdwn_texts(getattr(output, f.name))]
    if isinstance(output, dict):
        if output.get("type") == "plain_text":
            return []  # shown as typed: Slack parses no markup there
        return [
            text
            for key, value in output.items()
            if key not in NOT_PARSED
            for text in mrkdwn_texts(value)
            if key == "text" or not isinstance(value, str)
        ]
    return []


def live_markup(output: Any, allowed: re.Pattern[str] = ALLOWED) -> list[str]:
    """The rendered texts that would still ping, link or mention once sent."""
    return [text for text in mrkdwn_texts(output) if "<" in allowed.sub("", text)]
