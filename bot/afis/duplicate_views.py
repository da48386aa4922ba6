"""Asking before adding an AFI that repeats one already listed."""

from __future__ import annotations

from bot.afis.service import LooksLike
from bot.slack import ids
from bot.slack.blocks import Block, actions, button, context, section
from bot.slack.text import escape_mrkdwn, truncate


def build_looks_like(looks: LooksLike) -> tuple[str, list[Block]]:
    """The answer to `/afi add <text>` that repeats an AFI: add anyway, or cancel. The
    typed text rides in the button's value (at most 500 characters; Slack allows 2000)."""
    text = f"This looks like AFI {looks.number} — add anyway?"
    existing = escape_mrkdwn(truncate(looks.existing_text, 300))
    blocks: list[Block] = [
        section(f"This looks like *AFI {looks.number}*: “{existing}”\nAdd yours anyway?"),
        context(f"You typed: {escape_mrkdwn(truncate(looks.text, 300))}"),
        actions(
            button("Add anyway", ids.AFI_ADD_ANYWAY, looks.text, style="primary"),
            button("Cancel", ids.AFI_ADD_CANCEL, "cancel"),
        ),
    ]
    return text, blocks


def looks_like_error(looks: LooksLike) -> str:
    """The add form's inline error: pressing Add again with the same text adds it."""
    return (
        f"This looks like AFI {looks.number}: “{truncate(looks.existing_text, 80)}”. "
        "Press Add again to add it anyway, or change the text."
    )
