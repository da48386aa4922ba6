"""Scoring checklist responses: each statement's and section's tally (withholding
statements too few people outside the review team answered or gave a view on), the overall
figures, the strengths and the candidate areas for improvement. The figures' definitions
and the minimum's rule are in ``analysis``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from bot.core.checklist import Answer, Checklist, Section, Statement
from bot.core.responses import RespondentAnswers
from bot.self_assessment.checklist.analysis import (
    AfiCandidate,
    AfiReason,
    Analysis,
    AnalysisSettings,
    SectionResult,
    StatementResult,
    Tally,
    Withheld,
)


def analyse(
    checklist: Checklist,
    responses: Sequence[RespondentAnswers],
    settings: AnalysisSettings | None = None,
) -> Analysis:
    """Aggregate ``responses`` to ``checklist`` into statement, section and overall figures.

    A respondent counts towards the overall total if they answered at least one statement.
    If fewer than ``settings.min_respondents`` of them count towards the minimum (people
    outside the review team), the result is suppressed (see ``Analysis``). Otherwise it also
    picks strengths (see ``select_strengths``) and candidate areas for improvement (see
    ``select_afi_candidates``) among the statements not withheld.

    Raises ``ValueError`` via ``check_responses`` if a response refers to a statement the
    checklist does not have.
    """
    settings = settings or AnalysisSettings()
    check_responses(checklist, responses)
    respondents = sum(1 for response in responses if response.answers)
    counted = sum(1 for r in responses if r.answers and r.counts_towards_minimum)
    if counted < settings.min_respondents:
        return Analysis(
            checklist=checklist,
            settings=settings,
            respondents=respondents,
            counted_respondents=counted,
            suppressed=True,
            overall=None,
            sections=(),
            strengths=(),
            afi_candidates=(),
        )

    section_results = tuple(
        _section_result(section, responses, settings.min_respondents)
        for section in checklist.sections
    )
    statement_results = [r for section in section_results for r in section.statements]
    return Analysis(
        checklist=checklist,
        settings=settings,
        respondents=respondents,
        counted_respondents=counted,
        suppressed=False,
        overall=_pooled(statement_results),
        sections=section_results,
        strengths=select_strengths(statement_results, settings),
        afi_candidates=select_afi_candidates(statement_results, settings),
    )


def check_responses(checklist: Checklist, responses: Sequence[RespondentAnswers]) -> None:
    """Raise ``ValueError`` if any response answers a statement ``checklist`` does not have.

    That can only happen when answers were stored against a different checklist or version,
    and silently dropping them would misreport the results.
    """
    unknown = sorted(
        {sid for r in responses for sid in r.answers if not checklist.has_statement(sid)}
    )
    if unknown:
        raise ValueError(
            f"answers to statements not in checklist '{checklist.id}' "
            f"version {checklist.version}: {', '.join(unknown)}"
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
    statement: Statement,
    section_number: int,
    responses: Sequence[RespondentAnswers],
    min_respondents: int,
) -> StatementResult:
    answers = [r.answers[statement.id] for r in responses if statement.id in r.answers]
    counted = [
        r.answers[statement.id]
        for r in responses
        if statement.id in r.answers and r.counts_towards_minimum
    ]
    withheld: Withheld | None = None
    if answers and len(counted) < min_respondents:
        withheld = Withheld.TOO_FEW_ANSWERS
    elif answers and sum(a is not Answer.DONT_KNOW for a in counted) < min_respondents:
        withheld = Withheld.TOO_FEW_VIEWS
    return StatementResult(
        statement=statement,
        section_number=section_number,
        tally=Tally.of([] if withheld else answers),
        respondents=len(answers),
        withheld=withheld,
    )


def _pooled(results: Iterable[StatementResult]) -> Tally:
    """The answers of every statement in ``results``; withheld ones have empty tallies."""
    counts = dict.fromkeys(Answer, 0)
    for result in results:
        for answer, count in result.tally.counts.items():
            counts[answer] += count
    return Tally(counts)


def _section_result(
    section: Section, responses: Sequence[RespondentAnswers], min_respondents: int
) -> SectionResult:
    statement_results = tuple(
        _statement_result(statement, section.number, responses, min_respondents)
        for statement in section.statements
    )
    ids = {statement.id for statement in section.statements}
    return SectionResult(
        section=section,
        respondents=sum(1 for r in responses if ids.intersection(r.answers)),
        tally=_pooled(statement_results),
        statements=statement_results,
    )
