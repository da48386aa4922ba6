"""The one way a checklist figure is written: agree, disagree and don't know, with counts
and whole percentages that add up to 100% (largest remainder)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def whole_percentages(counts: Sequence[int]) -> tuple[int, ...]:
    """Whole percentages adding up to 100 (ties to the earlier part; zeros for no total)."""
    if any(count < 0 for count in counts):
        raise ValueError(f"counts cannot be negative: {list(counts)}")
    total = sum(counts)
    if not total:
        return tuple(0 for _ in counts)
    floors = [count * 100 // total for count in counts]
    remainders = [count * 100 % total for count in counts]
    leftover = 100 - sum(floors)
    by_remainder = sorted(range(len(counts)), key=lambda i: (-remainders[i], i))
    for index in by_remainder[:leftover]:
        floors[index] += 1
    return tuple(floors)


@dataclass(frozen=True, slots=True)
class Figures:
    agree: int
    disagree: int
    dont_know: int

    def __post_init__(self) -> None:
        if min(self.agree, self.disagree, self.dont_know) < 0:
            raise ValueError(f"counts cannot be negative: {self}")

    @property
    def answered(self) -> int:
        return self.agree + self.disagree + self.dont_know

    @property
    def percentages(self) -> tuple[int, int, int]:
        agree, disagree, dont_know = whole_percentages((self.agree, self.disagree, self.dont_know))
        return agree, disagree, dont_know

    def line(self, *, unit: str = "") -> str:
        """ "12 of 20 agree (60%) · 5 disagree (25%) · 3 don't know (15%)"; `unit` names
        what was counted when not people ("answers")."""
        if not self.answered:
            return "nobody answered"
        agree, disagree, dont_know = self.percentages
        of = f"{self.answered:,} {unit}".rstrip()
        disagrees = _person(self.disagree, unit, "disagrees", "disagree")
        doesnt_know = _person(self.dont_know, unit, "doesn't know", "don't know")
        return (
            f"{self.agree:,} of {of} agree ({agree}%) · {self.disagree:,} {disagrees} "
            f"({disagree}%) · {self.dont_know:,} {doesnt_know} ({dont_know}%)"
        )

    def agreement(self) -> str:
        """ "3 of 7 agree (43%)"."""
        if not self.answered:
            return "nobody answered"
        return f"{self.agree:,} of {self.answered:,} agree ({self.percentages[0]}%)"


def with_agreement(statement: str, figures: Figures) -> str:
    """ "Staff are involved in decisions — 7 of 8 agree (88%)"."""
    return f"{statement.rstrip().rstrip('.')} — {figures.agreement()}"


def _person(count: int, unit: str, one: str, many: str) -> str:
    # "1 of 20 agree" reads as a share, but one person standing alone "disagrees".
    return one if count == 1 and not unit else many
