"""Dot votes on AFIs: settings and limits, what a click does, and a ranking."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

DEFAULT_BUDGET = 3
DEFAULT_PER_AFI_CAP = 1
DEFAULT_TOP_N = 5
# Two presses of the same button by one person closer than this are one double click.
DOUBLE_CLICK_SECONDS = 0.5


@dataclass(frozen=True)
class VoteSettings:
    budget: int = DEFAULT_BUDGET
    per_afi_cap: int = DEFAULT_PER_AFI_CAP
    everyone_can_vote: bool = False
    hide_tally: bool = False
    closes_at: datetime | None = None  # the scheduler closes the vote then
    top_n: int = DEFAULT_TOP_N  # prioritised when it closes without `/afi close N`


class VoteOutcome(StrEnum):
    ADDED = "added"
    REMOVED = "removed"
    REPEATED_CLICK = "repeated_click"
    BUDGET_SPENT = "budget_spent"
    CAP_REACHED = "cap_reached"
    NOTHING_TO_REMOVE = "nothing_to_remove"
    VOTE_CLOSED = "vote_closed"
    NOT_ON_BALLOT = "not_on_ballot"


class ToggleEffect(StrEnum):
    ADD = "add"
    TAKE_BACK = "take_back"
    NONE_LEFT = "none_left"


def toggle_effect(*, used: int, on_afi: int, budget: int, cap: int) -> ToggleEffect:
    """A press adds a vote while the person can, else takes their votes on the area back."""
    if on_afi < cap and used < budget:
        return ToggleEffect.ADD
    if on_afi:
        return ToggleEffect.TAKE_BACK
    return ToggleEffect.NONE_LEFT


@dataclass(frozen=True)
class RankedAfi:
    number: int
    votes: int
    rank: int
    tied: bool
    prioritised: bool


@dataclass(frozen=True)
class CutOffTie:
    """AFIs tied across the cut-off: `places` of the `numbers` fit in the top N."""

    rank: int
    places: int
    numbers: tuple[int, ...]
