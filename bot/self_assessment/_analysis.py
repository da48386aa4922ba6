"""Pure aggregation of checklist answers into a self-assessment's figures. Percentages are
0-100 floats of all answers (``None`` with none). The minimum counts only people outside
the review team, who can't subtract their own answers from a total: a statement with fewer
of them answering or taking a side is withheld, and left out of every pooled figure so it
can't be recovered by subtraction.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field

from bot.core.checklist import Answer, Checklist, Section, Statement
from bot.core.figures import Figures
from bot.core.responses import RespondentAnswers

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
    """Answer counts for a statement, or pooled over several."""

    counts: Mapping[Answer, int]

    @classmethod
    def of(cls, answers: Iterable[Answer]) -> Tally:
        counted = Counter(answers)
        return cls({answer: counted[answer] for answer in Answer})

    @classmethod
    def pooled(cls, tallies: Iterable[Tally]) -> Tally:
        pooled = list(tallies)
        return cls({answer: sum(t.counts[answer] for t in pooled) for answer in Answer})

    @property
    def answers(self) -> int:
        return sum(self.counts.values())

    @property
    def gave_view(self) -> int:
        return self.answers - self.counts[Answer.DONT_KNOW]

    @property
    def figures(self) -> Figures:
        return Figures(
            agree=sum(self.counts[a] for a in _AGREE),
            disagree=sum(self.counts[a] for a in _DISAGREE),
            dont_know=self.counts[Answer.DONT_KNOW],
        )

    @property
    def pct_agree(self) -> float | None:
        return _pct(self.figures.agree, self.answers)

    @property
    def pct_disagree(self) -> float | None:
        return _pct(self.figures.disagree, self.answers)

    @property
    def pct_dont_know(self) -> float | None:
        return _pct(self.counts[Answer.DONT_KNOW], self.answers)


class Withheld(StrEnum):
    """Why a statement has no figures."""

    TOO_FEW_ANSWERS = "too few answers"
    TOO_FEW_TOOK_A_SIDE = "too few took a side"

    def explained(self, minimum: int) -> str:
        did = "answered" if self is Withheld.TOO_FEW_ANSWERS else "agreed or disagreed"
        return f"fewer than {minimum} people outside the review team {did}"


@dataclass(frozen=True, slots=True)
class StatementResult:
    """Figures for one statement; ``tally`` is empty when ``withheld`` says why."""

    statement: Statement
    section_number: int
    tally: Tally
    respondents: int
    withheld: Withheld | None = None


@dataclass(frozen=True, slots=True)
class SectionResult:
    """Figures for one section: pooled over its statements, plus each statement's own."""

    section: Section
    respondents: int  # people, where ``tally.answers`` counts answers
    tally: Tally
    statements: tuple[StatementResult, ...]

    @property
    def withheld(self) -> bool:
        return self.tally.answers == 0 and any(result.withheld for result in self.statements)


class AfiReason(StrEnum):
    LOW_AGREEMENT = "low agreement"
    MOST_DISAGREEMENT = "most disagreement"
    KNOWLEDGE_GAP = "knowledge gap"


@dataclass(frozen=True, slots=True)
class AfiCandidate:
    """A statement flagged for the consensus session, with every reason."""

    result: StatementResult
    reasons: tuple[AfiReason, ...]


@dataclass(frozen=True, slots=True)
class Analysis:
    """The outcome of ``analyse``; ``suppressed``: too few respondents, so no figures."""

    checklist: Checklist
    settings: AnalysisSettings
    respondents: int  # the review team included
    counted_respondents: int  # people outside the review team
    suppressed: bool
    overall: Tally | None = None
    sections: tuple[SectionResult, ...] = ()
    strengths: tuple[StatementResult, ...] = ()
    afi_candidates: tuple[AfiCandidate, ...] = ()

    def statement_result(self, statement_id: str) -> StatementResult:
        return {r.statement.id: r for s in self.sections for r in s.statements}[statement_id]

    def withheld(self, reason: Withheld) -> tuple[StatementResult, ...]:
        return tuple(
            result
            for section in self.sections
            for result in section.statements
            if result.withheld is reason
        )

    def shows_section(self, number: int) -> bool:
        """Whether section ``number`` has figures (its comments are shown only then)."""
        return any(s.section.number == number and not s.withheld for s in self.sections)


def analyse(
    checklist: Checklist,
    responses: Sequence[RespondentAnswers],
    settings: AnalysisSettings | None = None,
) -> Analysis:
    """Statement, section and overall figures, strengths and AFI candidates. ``ValueError``
    for an answer to a statement the checklist lacks: dropping it would misreport."""
    settings = settings or AnalysisSettings()
    unknown = sorted(
        {sid for r in responses for sid in r.answers if not checklist.has_statement(sid)}
    )
    if unknown:
        raise ValueError(
            f"answers to statements not in checklist '{checklist.id}' "
            f"version {checklist.version}: {', '.join(unknown)}"
        )
    respondents = sum(1 for response in responses if response.answers)
    counted = sum(1 for r in responses if r.answers and r.counts_towards_minimum)
    if counted < settings.min_respondents:
        return Analysis(checklist, settings, respondents, counted, suppressed=True)
    sections = tuple(
        _section_result(section, responses, settings.min_respondents)
        for section in checklist.sections
    )
    statements = [r for section in sections for r in section.statements]
    return Analysis(
        checklist,
        settings,
        respondents,
        counted,
        suppressed=False,
        overall=Tally.pooled(r.tally for r in statements),
        sections=sections,
        strengths=select_strengths(statements, settings),
        afi_candidates=select_afi_candidates(statements, settings),
    )


def select_strengths(
    results: Sequence[StatementResult], settings: AnalysisSettings
) -> tuple[StatementResult, ...]:
    """The highest % agree at or above the threshold; ties: more respondents, then checklist
    order (``results`` are in it)."""
    order = {r.statement.id: index for index, r in enumerate(results)}
    qualifying = [
        r
        for r in results
        if r.tally.pct_agree is not None and r.tally.pct_agree >= settings.strength_threshold_pct
    ]
    qualifying.sort(
        key=lambda r: (-(r.tally.pct_agree or 0.0), -r.respondents, order[r.statement.id])
    )
    return tuple(qualifying[: settings.strengths_count])


def select_afi_candidates(
    results: Sequence[StatementResult], settings: AnalysisSettings
) -> tuple[AfiCandidate, ...]:
    """Candidate AFIs: low agreement, among the most disagreed (short of strength level, so a
    service scoring well everywhere still gets its weakest points) or a knowledge gap. Ranked
    by reasons, % disagree, % don't know, respondents, then checklist order."""
    order = {r.statement.id: index for index, r in enumerate(results)}

    def disagree(result: StatementResult) -> float:
        return result.tally.pct_disagree or 0.0

    def dont_know(result: StatementResult) -> float:
        return result.tally.pct_dont_know or 0.0

    disagreed = [
        r
        for r in results
        if disagree(r) > 0 and (r.tally.pct_agree or 0.0) < settings.strength_threshold_pct
    ]
    disagreed.sort(key=lambda r: (-disagree(r), -r.respondents, order[r.statement.id]))
    most_disagreed = {r.statement.id for r in disagreed[: settings.afi_count]}

    candidates: list[AfiCandidate] = []
    for result in results:
        pct_agree = result.tally.pct_agree
        reasons: list[AfiReason] = []
        if pct_agree is not None and pct_agree < settings.afi_agree_threshold_pct:
            reasons.append(AfiReason.LOW_AGREEMENT)
        if result.statement.id in most_disagreed:
            reasons.append(AfiReason.MOST_DISAGREEMENT)
        if result.tally.answers and dont_know(result) >= settings.dont_know_threshold_pct:
            reasons.append(AfiReason.KNOWLEDGE_GAP)
        if reasons:
            candidates.append(AfiCandidate(result, tuple(reasons)))
    candidates.sort(
        key=lambda c: (
            -len(c.reasons),
            -disagree(c.result),
            -dont_know(c.result),
            -c.result.respondents,
            order[c.result.statement.id],
        )
    )
    return tuple(candidates[: settings.afi_count])


def _statement_result(
    statement: Statement, section_number: int, responses: Sequence[RespondentAnswers], minimum: int
) -> StatementResult:
    given = [r for r in responses if statement.id in r.answers]
    answers = [r.answers[statement.id] for r in given]
    counted = [r.answers[statement.id] for r in given if r.counts_towards_minimum]
    withheld: Withheld | None = None
    if answers and len(counted) < minimum:
        withheld = Withheld.TOO_FEW_ANSWERS
    elif answers and sum(a is not Answer.DONT_KNOW for a in counted) < minimum:
        withheld = Withheld.TOO_FEW_TOOK_A_SIDE
    tally = Tally.of([] if withheld else answers)
    return StatementResult(statement, section_number, tally, len(answers), withheld)


def _section_result(
    section: Section, responses: Sequence[RespondentAnswers], minimum: int
) -> SectionResult:
    statements = tuple(
        _statement_result(statement, section.number, responses, minimum)
        for statement in section.statements
    )
    ids = {statement.id for statement in section.statements}
    return SectionResult(
        section=section,
        respondents=sum(1 for r in responses if ids.intersection(r.answers)),
        # Withheld statements have empty tallies, so their answers are in no figure.
        tally=Tally.pooled(r.tally for r in statements),
        statements=statements,
    )


def minimum_rule(minimum: int) -> str:
    return (
        f"A statement has figures only when at least {minimum} people outside the review "
        f"team answered it and at least {minimum} of them agreed or disagreed; with fewer it "
        'says "too few answers" or "too few took a side" and is left out of every figure. The '
        "review team's own answers are in the figures but never count towards that minimum."
    )


def withheld_summary(analysis: Analysis) -> list[str]:
    """One line for each reason any statement was withheld, naming the statements."""
    minimum = analysis.settings.min_respondents
    return [
        f"{reason.capitalize()} ({reason.explained(minimum)}): {', '.join(numbers)}."
        for reason in Withheld
        if (numbers := [result.statement.id for result in analysis.withheld(reason)])
    ]


def round_pct(value: float | None) -> float | None:
    """One decimal place, halves up as readers round by hand (``round()`` gives 12.2)."""
    if value is None:
        return None
    return float(Decimal(repr(value)).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def format_pct(value: float | None) -> str:
    """ "67%" (halves up), or "n/a"."""
    if value is None:
        return "n/a"
    return f"{Decimal(repr(value)).quantize(Decimal('1'), rounding=ROUND_HALF_UP)}%"


def _pct(part: int, whole: int) -> float | None:
    # Multiply first so that exact results (e.g. 3 of 4 -> 75.0) stay exact in binary.
    return part * 100 / whole if whole else None


class ChartRow(BaseModel):
    label: str
    values: tuple[float | None, float | None, float | None]  # % agree, disagree, don't know


class ChartData(BaseModel):
    """The agreement chart as plain data, so only the worker process loads matplotlib."""

    title: str
    rows: list[ChartRow] = []
    message: str = ""  # shown instead of bars when results are withheld


def chart_data(analysis: Analysis) -> ChartData:
    checklist = analysis.checklist
    if analysis.suppressed:
        return ChartData(
            title=checklist.name,
            message=(
                f"{checklist.name}\n\nNot enough responses to show results: "
                f"{analysis.counted_respondents} from outside the review team, at least "
                f"{analysis.settings.min_respondents} needed."
            ),
        )
    people = "respondent" if analysis.respondents == 1 else "respondents"
    return ChartData(
        title=f"{checklist.name}: agreement by section ({analysis.respondents} {people})",
        rows=[
            ChartRow(
                label=f"{s.section.number}. {s.section.title}",
                # The whole percentages the results message shows, so bars and text agree.
                values=s.tally.figures.percentages if s.tally.answers else (None, None, None),
            )
            for s in analysis.sections
        ],
    )
