"""What a lead's Home tab says about a review they lead: counts and dates, never who.

Plain values and one rule (what comes next), free of Slack and the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from bot.core.milestones_done import DONE_AT_STAGE, WORD_FOR
from bot.core.responses import RoundStatus
from bot.core.timeline import Milestone, Timeline, milestones


@dataclass(frozen=True)
class VoteFacts:
    """The latest prioritisation vote: how many votes and voters, not for what or by whom."""

    is_open: bool
    votes: int
    voters: int


@dataclass(frozen=True)
class NextStep:
    milestone: Milestone
    late: bool  # its date has passed and nobody has recorded it done

    @property
    def done_command(self) -> str | None:
        word = WORD_FOR.get(self.milestone.key)
        return f"/psif done {word}" if word else None


@dataclass(frozen=True)
class LeadFacts:
    review_id: int
    self_assessment: RoundStatus | None  # None until stakeholders are first invited
    afi_count: int
    prioritised_count: int
    vote: VoteFacts | None  # None until a vote is started
    open_actions: int
    overdue_actions: int
    next_step: NextStep | None


def next_step(timeline: Timeline, *, today: date, done: frozenset[str]) -> NextStep | None:
    """The first milestone still to happen: one that can be recorded done and isn't (even if
    its date has passed), or one that can't be recorded and is still ahead."""
    for milestone in milestones(timeline):
        if milestone.key in DONE_AT_STAGE:
            if milestone.key not in done:
                return NextStep(milestone, late=milestone.day < today)
        elif milestone.day >= today:
            return NextStep(milestone, late=False)
    return None
