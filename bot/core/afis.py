"""Read-only pictures of AFIs and votes that builders render, free of storage and Slack."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class AfiItem:
    id: int
    number: int
    text: str
    section_number: int | None
    evidence: str
    source: str  # AfiSource value
    author_id: str
    votes: int = 0
    rank: int | None = None
    prioritised: bool = False


@dataclass(frozen=True)
class BallotInfo:
    """A vote round as the voting message shows it."""

    round_id: int
    budget: int
    per_afi_cap: int
    everyone_can_vote: bool
    is_open: bool
    voters: int
    votes: int
    tally_hidden: bool = False
    closes_at: datetime | None = None
    tie_places: int | None = None  # a tie-break round: the places its tied areas compete for
