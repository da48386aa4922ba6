"""Pure aggregation of checklist responses into the figures a self-assessment report needs.

Definitions used throughout (percentages are 0-100 floats, never rounded here):

* respondents - people who answered the statement at all (skipped statements don't count);
* gave a view - answers other than "Don't know";
* % agree = (strongly agree + agree) / gave a view, ``None`` when nobody gave a view;
* % disagree = (disagree + strongly disagree) / gave a view, likewise;
* % don't know = don't know / all answers, ``None`` when there are no answers.

Section and overall figures pool the answers to every statement they contain, except
statements withheld because fewer than the minimum number of people answered them: their
answers are left out of every figure, so they cannot be recovered by subtracting the shown
statements from a section's total.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.core.checklist import Answer, Checklist, Section, Statement

_AGREE = (Answer.STRONGLY_AGREE, Answer.AGREE)
_DISAGREE = (Answer.DISAGREE, Answer.STRONGLY_DISAGREE)


class AnalysisSettings(BaseModel):
    """Thresholds that decide suppression, strengths and candidate areas for improvement."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    min_respondents: int = Field(default=3, ge=1)
    strengths_count: int = Field(default=5, ge=0)
    afi_count: int = Field(default=5, ge=0)
    strength_threshold_pct: float = Field(default=75, ge=0, le=100)
    afi_agree_threshold_pct: float = Field(default=50, ge=0, le=100)
    dont_know_threshold_pct: float = Field(default=30, ge=0, le=100)


@dataclass(frozen=True, slots=True)
class Tally:
    """Answer counts for a statement, or pooled over several, and the percentages from them."""

    counts: Mapping[Answer, int]

    @classmethod
    def of(cls, answers: Iterable[Answer]) -> Tally:
        """Count ``answers``; every option appears in ``counts``, zero if unused."""
        counts = dict.fromkeys(Answer, 0)
        for answer in answers:
            counts[answer] += 1
        return cls(counts)

    @property
    def answers(self) -> int:
        """Number of answers counted (for a single statement: its respondents)."""
        return sum(self.counts.values())

    @property
    def gave_view(self) -> int:
        """Answers other than "Don't know"."""
        return self.answers - self.counts[Answer.DONT_KNOW]

    @property
    def pct_agree(self) -> float | None:
        """Strongly agree + agree, as a percentage of those who gave a view."""
        return _pct(sum(self.counts[a] for a in _AGREE), self.gave_view)

    @property
    def pct_disagree(self) -> float | None:
        """Disagree + strongly disagree, as a percentage of those who gave a view."""
        return _pct(sum(self.counts[a] for a in _DISAGREE), self.gave_view)

    @property
    def pct_dont_know(self) -> float | None:
        """Percentage of all answers that were "Don't know"."""
        return _pct(self.counts[Answer.DONT_KNOW], self.answers)


@dataclass(frozen=True, slots=True)
class StatementResult:
    """Figures for one statement.

    ``respondents`` counts the people who answered it at all. When that is below the
    minimum, ``withheld`` is true and ``tally`` is empty: with so few answers, the figures
    would show what individuals said.
    """

    statement: Statement
    section_number: int
    tally: Tally
    respondents: int
    withheld: bool = False


@dataclass(frozen=True, slots=True)
class SectionResult:
    """Figures for one section: pooled over its statements, plus each statement's own."""

    section: Section
    respondents: int
    """People who answered at least one statement in the section (``tally.answers`` counts
    answers, not people)."""
    tally: Tally
    statements: tuple[StatementResult, ...]

    @property
    def withheld(self) -> bool:
        """Too few answers to show: no figures, though some people did answer."""
        return self.tally.answers == 0 and any(result.withheld for result in self.statements)


class AfiReason(StrEnum):
    """Why a statement was put forward as a candidate area for improvement."""

    LOW_AGREEMENT = "low agreement"
    MOST_DISAGREEMENT = "most disagreement"
    KNOWLEDGE_GAP = "knowledge gap"


@dataclass(frozen=True, slots=True)
class AfiCandidate:
    """A statement flagged for discussion at the consensus session, with every reason."""

    result: StatementResult
    reasons: tuple[AfiReason, ...]


@dataclass(frozen=True, slots=True)
class Analysis:
    """The outcome of ``analyse``.

    When ``suppressed`` is true there were too few respondents to report without risking
    identifying them: only ``respondents`` is meaningful, ``overall`` is ``None`` and the
    breakdowns are empty.
    """

    checklist: Checklist
    settings: AnalysisSettings
    respondents: int
    suppressed: bool
    overall: Tally | None
    sections: tuple[SectionResult, ...]
    strengths: tuple[StatementResult, ...]
    afi_candidates: tuple[AfiCandidate, ...]

    def statement_result(self, statement_id: str) -> StatementResult:
        """Figures for ``statement_id``; ``KeyError`` if unknown or the analysis is suppressed."""
        for section in self.sections:
            for result in section.statements:
                if result.statement.id == statement_id:
                    return result
        raise KeyError(statement_id)


def round_pct(value: float | None) -> float | None:
    """Round a percentage to one decimal place for presentation, halves rounding up.

    ``round()`` would round 12.25 to 12.2 (binary floats and banker's rounding), which looks
    wrong to readers checking the figures by hand.
    """
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def whole_pct(value: float) -> int:
    """A percentage as a whole number, halves rounding up (as readers round by hand)."""
    return int(Decimal(repr(value)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


def format_pct(value: float | None) -> str:
    """A percentage for display, e.g. "66.7%", or "n/a" when it cannot be calculated."""
    rounded = round_pct(value)
    return "n/a" if rounded is None else f"{rounded:.1f}%"


def _pct(part: int, whole: int) -> float | None:
    # Multiply first so that exact results (e.g. 3 of 4 -> 75.0) stay exact in binary.
    return part * 100 / whole if whole else None
