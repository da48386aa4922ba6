"""Read-only pictures of AFIs and votes that builders render, free of storage and Slack, and
the checklist sections an AFI can relate to."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from bot.core.checklist import Checklist
from bot.core.checklist_loader import load_default_checklist


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


@cache
def psif_sections() -> dict[int, str]:
    """Section number → title, from the bundled PSIF checklist."""
    return {section.number: section.title for section in load_default_checklist().sections}


def sections_of(checklists: Mapping[str, Checklist], checklist_id: str | None) -> dict[int, str]:
    """The PSIF sections an AFI can relate to: number → title of the review's checklist (a
    checklist may put Leadership first); the bundled checklist's if that one isn't
    installed."""
    checklist = checklists.get(checklist_id or "")
    if checklist is None:
        return psif_sections()
    return {section.number: section.title for section in checklist.sections}
