"""What a review's use cases answer the person who asked."""

from __future__ import annotations

from dataclasses import dataclass, field

from bot.slack.blocks import Block


@dataclass(frozen=True)
class Answer:
    """An ephemeral answer for the person who asked."""

    text: str
    blocks: list[Block] | None = field(default=None)
