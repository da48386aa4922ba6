"""CSV and Excel exports of checklist results: totals only. openpyxl is slow to import, so
only the process delivering an export loads this module.

An export carries aggregates (how many chose each answer to each statement, with statements
withheld that too few people outside the review team answered or gave a view on) and the
comments, never a row per respondent: a row of one person's answers, however numbered, is
what the self-assessment promises nobody sees. Comments are never linked to respondents.
CSV files are UTF-8 with a byte-order mark so that Excel shows "Don't know" and accented
names correctly when the file is opened directly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.checklist import Answer, Checklist, CommentKind
from bot.core.responses import AnsweredBy, Comment
from bot.self_assessment._analysis import (
    AfiCandidate,
    Analysis,
    Tally,
    minimum_rule,
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
    "Agreed or disagreed",
    "% agree",
    "% disagree",
    "% don't know",
]
COMMENT_HEADER: Row = ["Section", "Section title", "Question", "Comment"]
SECTION_WITHHELD = "Every statement withheld"
_KIND_ORDER = {kind: index for index, kind in enumerate(CommentKind)}
# Spreadsheet programs run cells starting with these as formulas ("CSV injection"); comments
# are typed by respondents, so every text cell is defused with a leading apostrophe.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def aggregates_csv(analysis: Analysis) -> bytes:
    """Overall, section and statement figures as CSV (header ``AGGREGATE_HEADER``).

        Rows: one "Overall", then each "Section" followed by its "Statement" rows. For section
        and overall rows the option counts pool all answers, "Answers" counts them and
        "Respondents" counts people. Percentages are whole shares of all answers, adding up to
    100 as in every message and report. A suppressed
        analysis gives only the overall row, with the respondent count and a note; a withheld
        statement (too few answers or too few took a side) or section has a note instead of figures.
    """
    return _csv([AGGREGATE_HEADER, *_aggregate_rows(analysis)])


def comments_csv(checklist: Checklist, comments: Iterable[Comment]) -> bytes:
    """Free-text comments as CSV (header ``COMMENT_HEADER``), without any names.

    Sorted by section, question and text rather than kept in submission order, so that the
    order cannot be matched against the numbered respondents. Blank comments are dropped.
    Raises ``ValueError`` for a comment on a section the checklist does not have.
    """
    return _csv([COMMENT_HEADER, *_comment_rows(checklist, comments)])


def analysis_xlsx(
    checklist: Checklist,
    analysis: Analysis,
    comments: Iterable[Comment] = (),
    answered_by: AnsweredBy | None = None,
) -> bytes:
    """An Excel workbook with sheets "Summary", "Statements" and "Comments".

    "Summary" has the headline figures by section (and, when `answered_by` says anyone
    answered outside Slack, how many finished in Slack, on the web and by import), the
    strengths and the candidate areas for improvement; "Statements" matches
    ``aggregates_csv``; "Comments" matches ``comments_csv``. When the analysis is suppressed
    the comments are withheld as well, since with so few respondents they would identify
    people just as the figures would.
    Raises ``ValueError`` if ``analysis`` was produced from a different checklist.
    """
    if (analysis.checklist.id, analysis.checklist.version) != (checklist.id, checklist.version):
        raise ValueError(
            f"analysis is of checklist '{analysis.checklist.id}' version "
            f"{analysis.checklist.version}, not '{checklist.id}' version {checklist.version}"
        )
    workbook = Workbook()
    workbook.properties.creator = "psif-bot"
    summary = workbook.active
    assert summary is not None  # a new workbook always has one sheet
    summary.title = "Summary"
    rows = _summary_rows(analysis)
    if answered_by is not None and answered_by.line():
        rows[3:3] = [
            ["Finished in Slack", answered_by.in_slack],
            ["Finished on the web", answered_by.on_web],
            ["Imported from a survey tool", answered_by.imported],
        ]
    _write(summary, rows, widths=[14, 70, 14, 14, 14, 14, 14])
    _write(
        workbook.create_sheet("Statements"),
        [AGGREGATE_HEADER, *_aggregate_rows(analysis)],
        widths=[10, 8, 12, 70, *([12] * (len(AGGREGATE_HEADER) - 4))],
    )
    _write(
        workbook.create_sheet("Comments"),
        [[_suppressed_note(analysis)]]
        if analysis.suppressed
        else [COMMENT_HEADER, *_comment_rows(checklist, comments)],
        widths=[8, 28, 30, 90],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _aggregate_rows(analysis: Analysis) -> list[Row]:
    if analysis.overall is None:
        return [_row("Overall", None, None, _suppressed_note(analysis), analysis.respondents)]
    rows = [_row("Overall", None, None, "All statements", analysis.respondents, analysis.overall)]
    for section in analysis.sections:
        number, title = section.section.number, section.section.title
        if section.withheld:
            rows.append(_row("Section", number, None, title, SECTION_WITHHELD))
        else:
            rows.append(_row("Section", number, None, title, section.respondents, section.tally))
        for r in section.statements:
            statement = ("Statement", number, r.statement.id, r.statement.text)
            rows.append(
                _row(*statement, r.respondents, r.tally)
                if r.withheld is None
                # The respondents cell says why the figures are blank.
                else _row(*statement, f"{r.withheld.capitalize()} (withheld)")
            )
    return rows


def _row(
    level: str,
    section: int | None,
    statement_id: str | None,
    text: str,
    respondents: Cell,
    tally: Tally | None = None,
) -> Row:
    """A row of AGGREGATE_HEADER; without a tally, its figures are blank."""
    row: Row = [level, section, statement_id, text, respondents]
    if tally is None:
        return row + [None] * (len(AGGREGATE_HEADER) - len(row))
    return [
        *row,
        tally.answers,
        *(tally.counts[answer] for answer in Answer),
        tally.gave_view,
        *_percentages(tally),
    ]


def _percentages(tally: Tally) -> Row:
    """Whole percentages of all answers, adding up to 100 (bot.core.figures)."""
    if not tally.answers:
        return [None, None, None]
    return list(tally.figures.percentages)


def _comment_rows(checklist: Checklist, comments: Iterable[Comment]) -> list[Row]:
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


def _summary_rows(analysis: Analysis) -> list[Row]:
    checklist = analysis.checklist
    rows: list[Row] = [
        ["Checklist", checklist.name],
        ["Version", checklist.version],
        ["Respondents", analysis.respondents],
    ]
    if analysis.overall is None:
        return [*rows, [], [_suppressed_note(analysis)]]
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
                section.tally.answers,
                *_percentages(section.tally),
            ]
        )
    overall = analysis.overall
    rows.append(
        ["Overall", "All statements", analysis.respondents, overall.answers, *_percentages(overall)]
    )
    settings = analysis.settings
    rows += [
        [],
        [f"Strengths (% agree at least {settings.strength_threshold_pct:g}%)"],
        ["Statement ID", "Statement", "Respondents", "% agree"],
        *(
            [r.statement.id, r.statement.text, r.respondents, _percentages(r.tally)[0]]
            for r in analysis.strengths
        ),
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


def _afi_row(candidate: AfiCandidate) -> Row:
    result = candidate.result
    return [
        result.statement.id,
        result.statement.text,
        result.respondents,
        *_percentages(result.tally),
        "; ".join(candidate.reasons),
    ]


def _suppressed_note(analysis: Analysis) -> str:
    counted = analysis.counted_respondents
    return (
        f"Results suppressed: {counted} "
        f"{'respondent' if counted == 1 else 'respondents'} outside the review team, fewer "
        f"than the {analysis.settings.min_respondents} needed to protect anonymity (the "
        "review team's own answers don't count towards it)"
    )


def _csv(rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_defuse(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _defuse(cell: Cell) -> Cell:
    return "'" + cell if isinstance(cell, str) and cell.startswith(_FORMULA_PREFIXES) else cell


def _write(sheet: Worksheet, rows: Iterable[Row], widths: Sequence[int]) -> None:
    for row in rows:
        # Control characters pasted into Slack would make openpyxl refuse to save the workbook.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            # openpyxl turns any string starting with "=" into a formula; keep text as text.
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
