"""Splitting long AFI lists across messages that Slack accepts.

Besides 50 blocks, Slack refuses a message whose blocks' text adds up to roughly 12,000
characters (`msg_blocks_too_long`, observed rather than documented). Escaped user text
counts at its escaped length, so a list of long AFIs, or of AFIs full of `&` and `<`,
reaches that long before 50 blocks.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TypeVar

# The AFI texts on one message; headings, tallies and menus take the rest of the ~12,000.
ENTRIES_TEXT_BUDGET = 8_000

Entry = TypeVar("Entry")


def chunk_by_size(
    entries: Sequence[Entry],
    size: Callable[[Entry], int],
    *,
    max_count: int,
    max_chars: int = ENTRIES_TEXT_BUDGET,
) -> list[list[Entry]]:
    """Consecutive runs of entries, each at most `max_count` long and `max_chars` in size.

    Depends only on the entries, so a page's contents stay put while votes change. Always
    at least one (possibly empty) chunk.
    """
    chunks: list[list[Entry]] = [[]]
    used = 0
    for entry in entries:
        cost = size(entry)
        if chunks[-1] and (len(chunks[-1]) >= max_count or used + cost > max_chars):
            chunks.append([])
            used = 0
        chunks[-1].append(entry)
        used += cost
    return chunks
