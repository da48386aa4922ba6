"""CSV and Excel exports of checklist results: totals only.

An export carries aggregates (how many chose each answer to each statement, with statements
withheld that too few people outside the review team answered or gave a view on) and the
comments, never a row per respondent: a row of
one person's answers, however numbered, is what the self-assessment promises nobody sees.
Comments are never linked to respondents. CSV files are UTF-8 with a byte-order mark so
that Excel shows "Don't know" and accented names correctly when the file is opened directly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.checklist import Checklist
from bot.core.responses import Comment
from bot.self_assessment.checklist.analysis import Analysis
from bot.self_assessment.checklist.export_tables import (
    AGGREGATE_HEADER,
    COMMENT_HEADER,
    Cell,
    Row,
    aggregate_rows,
    comment_rows,
    summary_rows,
    suppressed_note,
)

# Spreadsheet programs run cells starting with these as formulas ("CSV injection"); comments
# are typed by respondents, so every text cell is defused with a leading apostrophe.
_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def aggregates_csv(analysis: Analysis) -> bytes:
    """Overall, section and statement figures as CSV (header ``AGGREGATE_HEADER``).

    Rows: one "Overall", then each "Section" followed by its "Statement" rows. For section
    and overall rows the option counts pool all answers, "Answers" counts them and
    "Respondents" counts people. Percentages are rounded to one decimal place. A suppressed
    analysis gives only the overall row, with the respondent count and a note; a withheld
    statement (too few answers or too few views) or section has a note instead of figures.
    """
    return _csv([AGGREGATE_HEADER, *aggregate_rows(analysis)])


def comments_csv(checklist: Checklist, comments: Iterable[Comment]) -> bytes:
    """Free-text comments as CSV (header ``COMMENT_HEADER``), without any names.

    Sorted by section, question and text rather than kept in submission order, so that the
    order cannot be matched against the numbered respondents. Blank comments are dropped.
    Raises ``ValueError`` for a comment on a section the checklist does not have.
    """
    return _csv([COMMENT_HEADER, *comment_rows(checklist, comments)])


def analysis_xlsx(
    checklist: Checklist, analysis: Analysis, comments: Iterable[Comment] = ()
) -> bytes:
    """An Excel workbook with sheets "Summary", "Statements" and "Comments".

    "Summary" has the headline figures by section, the strengths and the candidate areas
    for improvement; "Statements" matches ``aggregates_csv``; "Comments" matches
    ``comments_csv``. When the analysis is suppressed the comments are withheld as well,
    since with so few respondents they would identify people just as the figures would.
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
    _write(summary, summary_rows(analysis), widths=[14, 70, 14, 14, 14, 14, 14])

    _write(
        workbook.create_sheet("Statements"),
        [AGGREGATE_HEADER, *aggregate_rows(analysis)],
        widths=[10, 8, 12, 70, *([12] * (len(AGGREGATE_HEADER) - 4))],
    )
    withheld: list[Row] = [[suppressed_note(analysis)]]
    _write(
        workbook.create_sheet("Comments"),
        withheld if analysis.suppressed else [COMMENT_HEADER, *comment_rows(checklist, comments)],
        widths=[8, 28, 30, 90],
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _csv(rows: Iterable[Row]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        writer.writerow([_defuse(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _defuse(cell: Cell) -> Cell:
    if isinstance(cell, str) and cell.startswith(_FORMULA_PREFIXES):
        return "'" + cell
    return cell


def _write(sheet: Worksheet, rows: Iterable[Row], widths: Sequence[int]) -> None:
    for row in rows:
        sheet.append([_xlsx_value(cell) for cell in row])
    for row_cells in sheet.iter_rows():
        for cell in row_cells:
            # openpyxl turns any string starting with "=" into a formula; keep text as text.
            if isinstance(cell.value, str) and cell.data_type == "f":
                cell.data_type = "s"
            if isinstance(cell.value, float):
                cell.number_format = "0.0"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width


def _xlsx_value(cell: Cell) -> Cell:
    # Control characters pasted into Slack would make openpyxl refuse to save the workbook.
    return ILLEGAL_CHARACTERS_RE.sub("", cell) if isinstance(cell, str) else cell
