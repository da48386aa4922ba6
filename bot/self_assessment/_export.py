"""CSV and Excel exports of checklist results: totals and unlinked comments, never a row per
respondent. openpyxl is slow to import, so only the process delivering an export loads this.
CSV files carry a byte-order mark so that Excel reads them as UTF-8.
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
from bot.self_assessment._analysis import Analysis, Tally, minimum_rule, withheld_summary
from bot.slack.text import plural

Cell = str | int | float | None
Row = list[Cell]

_PCTS: Row = ["% agree", "% disagree", "% don't know"]
AGGREGATE_HEADER: Row = [
    *("Level", "Section", "Statement ID", "Statement", "Respondents", "Answers"),
    *(answer.label for answer in Answer),
    "Agreed or disagreed",
    *_PCTS,
]
COMMENT_HEADER: Row = ["Section", "Section title", "Question", "Comment"]
SECTION_WITHHELD = "Every statement withheld"
_KIND_ORDER = {kind: index for index, kind in enumerate(CommentKind)}
# Cells starting with these run as formulas ("CSV injection"): defused with an apostrophe.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def aggregates_csv(analysis: Analysis) -> bytes:
    """ "Overall", then each "Section" followed by its "Statement" rows; withheld ones (or a
    suppressed analysis's only row) have a note instead of figures."""
    return _csv([AGGREGATE_HEADER, *_aggregate_rows(analysis)])


def comments_csv(checklist: Checklist, comments: Iterable[Comment]) -> bytes:
    """Sorted by section, question and text, so their order says nothing of who wrote them."""
    return _csv([COMMENT_HEADER, *_comment_rows(checklist, comments)])


def analysis_xlsx(
    checklist: Checklist,
    analysis: Analysis,
    comments: Iterable[Comment] = (),
    answered_by: AnsweredBy | None = None,
) -> bytes:
    """Sheets "Summary", "Statements" (as ``aggregates_csv``) and "Comments" (as
    ``comments_csv``, withheld with the figures when suppressed, as they'd identify people).
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
    rows += [[], ["Section", "Title", "Respondents", "Answers", *_PCTS]]
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
    not_shown: list[Cell] = [*withheld_summary(analysis)] or [
        "Every statement answered has figures."
    ]
    return [
        *rows,
        [],
        [f"Strengths (% agree at least {settings.strength_threshold_pct:g}%)"],
        ["Statement ID", "Statement", "Respondents", "% agree"],
        *(
            [r.statement.id, r.statement.text, r.respondents, _percentages(r.tally)[0]]
            for r in analysis.strengths
        ),
        [],
        ["Candidate areas for improvement"],
        ["Statement ID", "Statement", "Respondents", *_PCTS, "Reasons"],
        *(
            [
                c.result.statement.id,
                c.result.statement.text,
                c.result.respondents,
                *_percentages(c.result.tally),
                "; ".join(c.reasons),
            ]
            for c in analysis.afi_candidates
        ),
        [],
        ["Not shown"],
        *([line] for line in not_shown),
        [],
        [minimum_rule(settings.min_respondents)],
    ]


def _suppressed_note(analysis: Analysis) -> str:
    return (
        f"Results suppressed: {plural(analysis.counted_respondents, 'respondent')} outside the "
        f"review team, fewer than the {analysis.settings.min_respondents} needed to protect "
        "anonymity (the review team's own answers don't count towards it)"
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
