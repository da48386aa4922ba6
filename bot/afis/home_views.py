"""The prioritisation vote's part of a user's Home tab: their own votes left, if any."""

from __future__ import annotations

from bot.slack.blocks import HomeSection, section
from bot.slack.text import channel_link, plural


def build_vote_home(
    *, review_id: int, channel_id: str, budget: int, used: int
) -> HomeSection | None:
    """A nudge to vote while the user still has votes to place; None once they are spent."""
    left = budget - used
    if left <= 0:
        return None
    line = (
        f"🗳️ The prioritisation vote is open: you have {plural(left, 'vote')} of {budget} "
        f"left. Vote on the voting message in {channel_link(channel_id)}."
    )
    return HomeSection("Prioritisation vote", (section(line),), review_id=review_id)
