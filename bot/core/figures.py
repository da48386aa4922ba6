"""The one way a checklist figure is written, in Slack, the exports and the report.

A figure is the split of the people who answered (or, pooled over several statements, of
the answers) into agree, disagree and don't know. It is always written with its counts and
with whole percentages of everyone who answered, so the three parts add up to 100%:

    "12 of 20 agree (60%) · 5 disagree (25%) · 3 don't know (15%)"

Whole percentages are found by the largest-remainder method: each part is rounded down and
the points still missing from 100 go to the parts with the largest remainders, so no
reader ever sees 99% or 101% in total.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass


def whole_percentages(counts: Sequence[int]) -> tuple[int, ...]:
    """``counts`` as whole percentages of their total, adding up to exactly 100.

    Largest remainder: ties for a leftover point go to the earlier part, so the result
    never depends on anything but the counts. All zeros when the total is zero.
    """
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
    """How the people who answered (or the answers, when pooled) split three ways."""

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
        """Whole percentages of ``answered``: (agree, disagree, don't know), adding up to
        100, or all zeros when nobody answered."""
        agree, disagree, dont_know = whole_percentages((self.agree, self.disagree, self.dont_know))
        return agree, disagree, dont_know

    def line(self, *, unit: str = "") -> str:
        """ "12 of 20 agree (60%) · 5 disagree (25%) · 3 don't know (15%)".

        ``unit`` names what was counted when it is not people, e.g. "answers" for a
        section's pooled figures: "120 of 200 answers agree (60%) · …".
        """
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
        """The agree part alone, for a line about one statement: "3 of 7 agree (43%)"."""
        if not self.answered:
            return "nobody answered"
        return f"{self.agree:,} of {self.answered:,} agree ({self.percentages[0]}%)"


def with_agreement(statement: str, figures: Figures) -> str:
    """A statement followed by how many agree, with no brackets inside brackets and no full
    stop before the dash: "Staff are involved in decisions — 7 of 8 agree (88%)"."""
    return f"{statement.rstrip().rstrip('.')} — {figures.agreement()}"


def _person(count: int, unit: str, one: str, many: str) -> str:
    # "1 of 20 agree" reads as a share, but one person standing alone "disagrees".
    return one if count == 1 and not unit else many
