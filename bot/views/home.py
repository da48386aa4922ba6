"""The App Home tab."""

from __future__ import annotations

from datetime import date

from bot.blocks import VIEW_BLOCKS_LIMIT, Block, context, divider, header, section
from bot.review import ReviewSnapshot
from bot.roles import ROLE_LABELS
from bot.stages import STAGES
from bot.text import channel_link, escape_mrkdwn, format_date, join_words
from bot.timeline import next_milestone


def build_home(reviews: list[ReviewSnapshot], *, user_id: str, today: date) -> Block:
    blocks: list[Block] = [header("Your PSIF reviews")]
    if not reviews:
        blocks.append(
            section(
                "You're not part of any open review yet. A host lead starts one in a channel "
                "with `/psif start`; type `/psif help` to see every command."
            )
        )
    for review in reviews:
        roles = [ROLE_LABELS[role] for user, role in review.members if user == user_id]
        coming = next_milestone(review.timeline, today=today)
        next_line = f"Next: {coming.label}, {format_date(coming.day)}" if coming else ""
        blocks += [
            divider(),
            section(
                f"*{review.host_council}: {escape_mrkdwn(review.focus)}*\n"
                f"{STAGES[review.stage].label} · {channel_link(review.channel_id)}\n{next_line}"
            ),
            context(f"Your role: {join_words(roles)}"),
        ]
    view_blocks = blocks[:VIEW_BLOCKS_LIMIT]
    return {"type": "home", "blocks": view_blocks}
