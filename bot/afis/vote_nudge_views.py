"""The direct message nudging a team member who hasn't voted yet."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.core.calendar import format_datetime
from bot.slack import ids
from bot.slack.blocks import Message, actions, button, context, section
from bot.slack.text import channel_link, plural


def build_vote_nudge(
    *,
    round_id: int,
    channel_id: str,
    host_council: str,
    budget: int,
    closes_at: datetime | None,
    zone: ZoneInfo,
    voters: int,
) -> Message:
    """Names no one: only how many have voted, when it closes, and a button to vote."""
    when = (
        f" It closes on {format_datetime(closes_at, zone)}."
        if closes_at is not None
        else " It's open until a lead closes it."
    )
    text = (
        f"You haven't voted yet on the areas for improvement for the {host_council} review "
        f"({plural(voters, 'person has', 'people have')} so far). You have "
        f"{plural(budget, 'vote')} to give.{when}"
    )
    blocks = [
        section(text),
        actions(button("Vote", ids.AFI_MY_VOTES, str(round_id), style="primary")),
        context(f"The voting message is in {channel_link(channel_id)}."),
    ]
    return Message(text=text, blocks=blocks)
