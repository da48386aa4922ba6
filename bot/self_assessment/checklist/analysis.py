"""Pure aggregation of checklist responses into the figures a self-assessment report needs.

Definitions used throughout (percentages are 0-100 floats, never rounded here):

* respondents - people who answered the statement at all (skipped statements don't count);
* gave a view - answers other than "Don't know" (each such answer is a *view*);
* % agree = (strongly agree + agree) / gave a view, ``None`` when nobody gave a view;
* % disagree = (disagree + strongly disagree) / gave a view, likewise;
* % don't know = don't know / all answers, ``None`` when there are no answers.

The minimum (``AnalysisSettings.min_respondents``) counts only respondents who
``counts_towards_minimum``: people known not to be on the review team. The team can see the
results and knows its own answers, so counting them would let it subtract its answers from
a total and read what the few others said. Their answers are in every figure; they never
make a figure showable. A statement is withheld when fewer than the minimum of those
people answered it (too few answers) or gave a view on it (too few views: a percentage
agreeing must rest on at least that many views, not on answers that were mostly "Don't
know"). Section and overall figures pool the answers to every statement they contain
except withheld ones: those answers are left out of every figure, so they cannot be
recovered by subtracting the shown statements from a section's total.
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

    min_respondents: int = Field(default=5, ge=1)
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


class Withheld(StrEnum):
    """Why a statement has no figures (the words the results, exports and reports use)."""

    TOO_FEW_ANSWERS = "too few answers"
    TOO_FEW_VIEWS = "too few views"

    def explained(self, minimum: int) -> str:
        """What the words mean: "fewer than 5 people outside the review team answered"."""
        if self is Withheld.TOO_FEW_ANSWERS:
            return f"fewer than {minimum} people outside the review team answered"
        return f"fewer than {minimum} people outside the review team agreed or disagreed"


@dataclass(frozen=True, slots=True)
class StatementResult:
    """Figures for one statement.

    ``respondents`` counts the people who answered it at all, the review team included.
    When ``withheld`` says why, ``tally`` is empty: with so few answers or views from
    people outside the review team, the figures would show what individuals said.
    """

    statement: Statement
    section_number: int
    tally: Tally
    respondents: int
    withheld: Withheld | None = None


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
    """People who answered at least one statement, the review team included."""
    counted_respondents: int
    """Those of them who count towards the minimum: people outside the review team."""
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

    def withheld(self, reason: Withheld) -> tuple[StatementResult, ...]:
        """The statements withheld for ``reason``, in checklist order."""
        return tuple(
            result
            for section in self.sections
            for result in section.statements
            if result.withheld is reason
        )

    def shows_section(self, number: int) -> bool:
        """Whether section ``number`` has figures; its comments are shown only then, when
        enough people outside the review team answered in it for no comment to stand out."""
        return any(s.section.number == number and not s.withheld for s in self.sections)


def minimum_rule(minimum: int) -> str:
    """The minimum's rule in a sentence or two, said with the figures wherever they go."""
    return (
        f"A statement has figures only when at least {minimum} people outside the review "
        f"team answered it and at least {minimum} of them agreed or disagreed; with fewer it "
        'says "too few answers" or "too few views" and is left out of every figure. The '
        "review team's own answers are in the figures but never count towards that minimum."
    )


def withheld_summary(analysis: Analysis) -> list[str]:
    """ "Too few views (fewer than 5 people outside the review team agreed or disagreed):
    1.03, 2.04." — one line for each reason any statement was withheld."""
    minimum = analysis.settings.min_respondents
    lines = []
    for reason in Withheld:
        numbers = [result.statement.id for result in analysis.withheld(reason)]
        if numbers:
            lines.append(
                f"{reason.capitalize()} ({reason.explained(minimum)}): {', '.join(numbers)}."
            )
    return lines


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
