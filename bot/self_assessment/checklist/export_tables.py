"""The rows of the checklist results exports: one table of figures (overall, each section,
each statement), one of comments and the workbook's summary, shared by the CSV and Excel
files. Totals only: see export.py for why no row is ever one person's answers."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.checklist import Answer, Checklist, CommentKind
from bot.core.responses import Comment
from bot.self_assessment.checklist.analysis import (
    AfiCandidate,
    Analysis,
    StatementResult,
    Tally,
    Withheld,
    minimum_rule,
    round_pct,
    withheld_summary,
)

Cell = str | int | float | None
Row = list[Cell]

AGGREGATE_HEADER: Row = [
    "Level",
    "Section",
    "Statement ID",
    "Statement",
    "Respondents",
    "Answers",
    *(answer.label for answer in Answer),
    "Gave a view",
    "% agree",
    "% disagree",
    "% don't know",
]
COMMENT_HEADER: Row = ["Section", "Section title", "Question", "Comment"]

_KIND_ORDER = {kind: index for index, kind in enumerate(CommentKind)}


def aggregate_rows(analysis: Analysis) -> list[Row]:
    if analysis.overall is None:
        overall: Row = ["Overall", None, None, suppressed_note(analysis), analysis.respondents]
        return [overall + [None] * (len(AGGREGATE_HEADER) - len(overall))]
    rows = [
        _tally_row("Overall", None, None, "All statements", analysis.respondents, analysis.overall)
    ]
    for section in analysis.sections:
        number = section.section.number
        rows.append(
            _tally_row(
                "Section", number, None, section.section.title, section.respondents, section.tally
            )
            if not section.withheld
            else _withheld_row("Section", number, None, section.section.title, SECTION_WITHHELD)
        )
        rows.extend(
            _tally_row(
                "Statement", number, r.statement.id, r.statement.text, r.respondents, r.tally
            )
            if r.withheld is None
            else _withheld_row(
                "Statement", number, r.statement.id, r.statement.text, withheld_note(r.withheld)
            )
            for r in section.statements
        )
    return rows


def _withheld_row(level: str, section: int, statement_id: str | None, text: str, why: str) -> Row:
    # The respondents cell says why the figures are blank.
    row: Row = [level, section, statement_id, text, why]
    return row + [None] * (len(AGGREGATE_HEADER) - len(row))


def _tally_row(
    level: str,
    section: int | None,
    statement_id: str | None,
    text: str,
    respondents: int,
    tally: Tally,
) -> Row:
    return [
        level,
        section,
        statement_id,
        text,
        respondents,
        tally.answers,
        *(tally.counts[answer] for answer in Answer),
        tally.gave_view,
        round_pct(tally.pct_agree),
        round_pct(tally.pct_disagree),
        round_pct(tally.pct_dont_know),
    ]


def comment_rows(checklist: Checklist, comments: Iterable[Comment]) -> list[Row]:
    titles = {section.number: section.title for section in checklist.sections}
    kept: list[Comment] = []
    for comment in comments:
        if comment.section_number not in titles:
            raise ValueError(
                f"comment on section {comment.section_number}, which checklist "
                f"'{checklist.id}' does not have"
            )
        if comment.text.strip():
            kept.append(comment)
    kept.sort(key=lambda c: (c.section_number, _KIND_ORDER[c.kind], c.text.strip()))
    return [
        [c.section_number, titles[c.section_number], c.kind.question, c.text.strip()] for c in kept
    ]


def summary_rows(analysis: Analysis) -> list[Row]:
    checklist = analysis.checklist
    rows: list[Row] = [
        ["Checklist", checklist.name],
        ["Version", checklist.version],
        ["Respondents", analysis.respondents],
    ]
    if analysis.overall is None:
        return [*rows, [], [suppressed_note(analysis)]]
    rows += [
        [],
        ["Section", "Title", "Respondents", "Answers", "% agree", "% disagree", "% don't know"],
    ]
    for section in analysis.sections:
        rows.append(
            [
                section.section.number,
                section.section.title,
                SECTION_WITHHELD if section.withheld else section.respondents,
                *_headline(section.tally),
            ]
        )
    rows.append(["Overall", "All statements", analysis.respondents, *_headline(analysis.overall)])
    settings = analysis.settings
    rows += [
        [],
        [f"Strengths (% agree at least {settings.strength_threshold_pct:g}%)"],
        ["Statement ID", "Statement", "Respondents", "% agree"],
        *(_strength_row(r) for r in analysis.strengths),
        [],
        ["Candidate areas for improvement"],
        [
            "Statement ID",
            "Statement",
            "Respondents",
            "% agree",
            "% disagree",
            "% don't know",
            "Reasons",
        ],
        *(_afi_row(c) for c in analysis.afi_candidates),
        [],
        ["Not shown"],
    ]
    for line in withheld_summary(analysis) or ["Every statement answered has figures."]:
        rows.append([line])
    return [*rows, [], [minimum_rule(settings.min_respondents)]]


def _headline(tally: Tally) -> Row:
    return [
        tally.answers,
        round_pct(tally.pct_agree),
        round_pct(tally.pct_disagree),
        round_pct(tally.pct_dont_know),
    ]


def _strength_row(result: StatementResult) -> Row:
    return [
        result.statement.id,
        result.statement.text,
        result.respondents,
        round_pct(result.tally.pct_agree),
    ]


def _afi_row(candidate: AfiCandidate) -> Row:
    result = candidate.result
    return [
        result.statement.id,
        result.statement.text,
        result.respondents,
        *_headline(result.tally)[1:],
        "; ".join(candidate.reasons),
    ]


SECTION_WITHHELD = "Too few answers or views (withheld)"


def withheld_note(reason: Withheld) -> str:
    """ "Too few views (withheld)": in place of a statement's figures."""
    return f"{reason.capitalize()} (withheld)"


def suppressed_note(analysis: Analysis) -> str:
    counted = analysis.counted_respondents
    return (
        f"Results suppressed: {counted} "
        f"{'respondent' if counted == 1 else 'respondents'} outside the review team, fewer "
        f"than the {analysis.settings.min_respondents} needed to protect anonymity (the "
        "review team's own answers don't count towards it)"
    )
