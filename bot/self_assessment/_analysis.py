"""Pure aggregation of checklist responses into the figures a self-assessment report needs:
each statement's and section's tally, the overall figures, the strengths, the candidate areas
for improvement and the chart's data.

Definitions used throughout (percentages are 0-100 floats, never rounded here):

* respondents - people who answered the statement at all (skipped statements don't count);
* gave a view - answers other than "Don't know" (each such answer is a *view*);
* % agree = (strongly agree + agree) / all answers, ``None`` when there are no answers;
* % disagree = (disagree + strongly disagree) / all answers, likewise;
* % don't know = don't know / all answers, likewise.

So the three add up to 100, and the thresholds judge the same shares people are shown
(``Tally.figures``, written the one way bot.core.figures writes them).

The minimum (``AnalysisSettings.min_respondents``) counts only respondents who
``counts_towards_minimum``: people known not to be on the review team. The team can see the
results and knows its own answers, so counting them would let it subtract its answers from
a total and read what the few others said. Their answers are in every figure; they never
make a figure showable. A statement is withheld when fewer than the minimum of those
people answered it (too few answers) or gave a view on it (too few took a side: a percentage
agreeing must rest on at least that many views, not on answers that were mostly "Don't
know"). Section and overall figures pool the answers to every statement they contain
except withheld ones: those answers are left out of every figure, so they cannot be
recovered by subtracting the shown statements from a section's total.
"""

from __future__ import annotations

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
    """Answer counts for a statement, or pooled over several, and the percentages from them."""

    counts: Mapping[Answer, int]

    @classmethod
    def of(cls, answers: Iterable[Answer]) -> Tally:
        """Count ``answers``; every option appears in ``counts``, zero if unused."""
        counts = dict.fromkeys(Answer, 0)
        for answer in answers:
            counts[answer] += 1
        return cls(counts)

    @classmethod
    def pooled(cls, tallies: Iterable[Tally]) -> Tally:
        counts = dict.fromkeys(Answer, 0)
        for tally in tallies:
            for answer, count in tally.counts.items():
                counts[answer] += count
        return cls(counts)

    @property
    def answers(self) -> int:
        """Number of answers counted (for a single statement: its respondents)."""
        return sum(self.counts.values())

    @property
    def gave_view(self) -> int:
        return self.answers - self.counts[Answer.DONT_KNOW]

    @property
    def figures(self) -> Figures:
        """The counts three ways, as every message, export and report writes them."""
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
    """Why a statement has no figures (the words the results, exports and reports use)."""

    TOO_FEW_ANSWERS = "too few answers"
    TOO_FEW_TOOK_A_SIDE = "too few took a side"

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
    overall: Tally | None = None
    sections: tuple[SectionResult, ...] = ()
    strengths: tuple[StatementResult, ...] = ()
    afi_candidates: tuple[AfiCandidate, ...] = ()

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


def analyse(
    checklist: Checklist,
    responses: Sequence[RespondentAnswers],
    settings: AnalysisSettings | None = None,
) -> Analysis:
    """Aggregate ``responses`` to ``checklist`` into statement, section and overall figures.

    A respondent counts towards the overall total if they answered at least one statement.
    If fewer than ``settings.min_respondents`` of them count towards the minimum (people
    outside the review team), the result is suppressed (see ``Analysis``). Otherwise it also
    picks strengths and candidate areas for improvement among the statements not withheld.

    Raises ``ValueError`` if a response answers a statement the checklist does not have:
    that can only happen when answers were stored against a different checklist or
    version, and silently dropping them would misreport the results.
    """
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
    """The statements with the highest % agree, at or above ``strength_threshold_pct``.

    Ranked by % agree (highest first), then by more respondents (broader support is more
    convincing), then by checklist order; at most ``strengths_count`` are returned.
    ``results`` must be in checklist order, which is used for the final tie-break.
    """
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
    """Statements to put to the consensus session as possible areas for improvement (AFIs).

    A statement is a candidate for any of these reasons, all of which are recorded:

    * low agreement - % agree below ``afi_agree_threshold_pct``;
    * most disagreement - among the ``afi_count`` statements with the highest % disagree
      (above zero), excluding those agreed at strength level; this means a service that
      scores well everywhere still gets its relatively weakest points to discuss;
    * knowledge gap - % don't know at or above ``dont_know_threshold_pct``, since people not
      knowing about a practice is itself worth discussing.

    Candidates are ranked by number of reasons, then % disagree, then % don't know (each
    highest first), then more respondents, then checklist order; at most ``afi_count`` are
    returned. ``results`` must be in checklist order.
    """
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
    """The minimum's rule in a sentence or two, said with the figures wherever they go."""
    return (
        f"A statement has figures only when at least {minimum} people outside the review "
        f"team answered it and at least {minimum} of them agreed or disagreed; with fewer it "
        'says "too few answers" or "too few took a side" and is left out of every figure. The '
        "review team's own answers are in the figures but never count towards that minimum."
    )


def withheld_summary(analysis: Analysis) -> list[str]:
    """ "Too few took a side (fewer than 5 people outside the review team agreed or disagreed):
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
    """A percentage for display as a whole number, e.g. "67%", or "n/a" when it cannot be
    calculated."""
    return "n/a" if value is None else f"{whole_pct(value)}%"


def _pct(part: int, whole: int) -> float | None:
    # Multiply first so that exact results (e.g. 3 of 4 -> 75.0) stay exact in binary.
    return part * 100 / whole if whole else None


class ChartRow(BaseModel):
    label: str
    values: tuple[float | None, float | None, float | None]  # % agree, disagree, don't know


class ChartData(BaseModel):
    """What the agreement chart shows, as plain data: built where the analysis is (in the
    request), drawn by the worker process (bot.self_assessment._chart), so matplotlib never
    loads in a web process."""

    title: str
    rows: list[ChartRow] = []
    message: str = ""  # shown instead of bars when results are withheld


def chart_data(analysis: Analysis) -> ChartData:
    """The section percentages only: totals, never anyone's answers."""
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
