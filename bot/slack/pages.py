"""Split long content across messages of at most 50 blocks and ~12,000 characters."""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence

from bot.slack.blocks import MESSAGE_BLOCKS_LIMIT, Block, context

# Serialised JSON (an upper bound on what Slack counts), below ~12k with room for a heading.
PAGE_CHARACTER_BUDGET = 10_000


def block_size(block: Block) -> int:
    return len(json.dumps(block, ensure_ascii=False))


class Pager:
    """Collects blocks into pages, never splitting a unit; `heading_*` reserve room on
    every page for a heading added afterwards."""

    def __init__(
        self,
        *,
        max_blocks: int = MESSAGE_BLOCKS_LIMIT,
        max_chars: int = PAGE_CHARACTER_BUDGET,
        heading_blocks: int = 1,
        heading_chars: int = 400,
    ) -> None:
        self.max_blocks = max_blocks - heading_blocks
        self.max_chars = max_chars - heading_chars
        self.pages: list[list[Block]] = [[]]
        self._chars = 0

    def fits(self, unit: Sequence[Block], size: int | None = None) -> bool:
        page = self.pages[-1]
        if size is None:
            size = sum(block_size(block) for block in unit)
        return len(page) + len(unit) <= self.max_blocks and self._chars + size <= self.max_chars

    def add(self, unit: Sequence[Block], *, continuation: Sequence[Block] = ()) -> None:
        """Add blocks that belong together; on a fresh page, `continuation` goes first."""
        size = sum(block_size(block) for block in unit)  # measured once: it serialises
        if self.pages[-1] and not self.fits(unit, size):
            self.pages.append([])
            self._chars = 0
            self._place(continuation, sum(block_size(block) for block in continuation))
        self._place(unit, size)

    def _place(self, unit: Sequence[Block], size: int) -> None:
        self.pages[-1].extend(unit)
        self._chars += size

    def result(self) -> list[list[Block]]:
        return [page for page in self.pages if page]


def fit_message(
    head: Sequence[Block],
    units: Sequence[Sequence[Block]],
    *,
    more: Callable[[int], str],
    footer: Sequence[Block] = (),
    at_most: int = MESSAGE_BLOCKS_LIMIT,
) -> list[Block]:
    """`head`, as many `units` as fit (at most `at_most`), then `footer`; those left out are
    counted in a context line, `more(left)`."""
    blocks = list(head)
    reserved = len(footer) + 1
    budget = PAGE_CHARACTER_BUDGET - sum(block_size(block) for block in [*head, *footer]) - 400
    for shown, unit in enumerate(units):
        size = sum(block_size(block) for block in unit)
        too_many = shown >= at_most or len(blocks) + len(unit) + reserved > MESSAGE_BLOCKS_LIMIT
        if too_many or size > budget:
            blocks.append(context(more(len(units) - shown)))
            break
        blocks.extend(unit)
        budget -= size
    return blocks + list(footer)
