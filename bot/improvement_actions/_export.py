"""The plan as CSV (for performance systems) and an Excel workbook with the progress notes.
Dates are real dates (ISO in the CSV); cells a spreadsheet would run as formulas stay text."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from zoneinfo import ZoneInfo

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from bot.core.actions import RAG_LABELS, STATUS_LABELS, ProgressUpdate
from bot.improvement_actions._rules import AfiGroup

Cell = str | int | date | None

PLAN_HEADER = [
    "Action number",
    "AFI number",
    "Area for improvement",
    "Prioritised",
    "Priority rank",
    "Key action",
    "Owner",
    "Owner Slack ID",
    "Due date",
    "Status",
    "RAG status",
    "Risks or costs",
    "How we will know",
    "Overall outcome",
    "Latest progress note",
    "Latest progress on",
    "Latest progress by",
    "Reason dropped",
    "Status changed on",
    "Logged on",
]
PLAN_WIDTHS = [10, 8, 40, 11, 9, 50, 22, 14, 12, 12, 10, 40, 40, 40, 50, 14, 22, 30, 14, 12]
NOTES_HEADER = ["Action number", "Key action", "Date", "By", "RAG status set", "Note"]
NOTES_WIDTHS = [10, 50, 12, 22, 12, 80]
DATE_FORMAT = "d mmmm yyyy"

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _local_day(moment: datetime | None, zone: ZoneInfo) -> date | None:
    return moment.astimezone(zone).date() if moment else None


def plan_rows(
    groups: Iterable[AfiGroup],
    *,
    names: Mapping[str, str],
    zone: ZoneInfo,
    notes: Mapping[int, Sequence[ProgressUpdate]],
) -> list[list[Cell]]:
    """One row per action under PLAN_HEADER; `notes` by action number, oldest first."""
    rows: list[list[Cell]] = []
    for group in groups:
        for item in group.actions:
            afi = item.afi
            latest = notes[item.number][-1] if notes.get(item.number) else None
            rows.append(
                [
                    item.number,
                    afi.number if afi else None,
                    afi.text if afi else "Not linked to an AFI",
                    ("Yes" if afi.prioritised else "No") if afi else None,
                    afi.rank if afi else None,
                    item.key_action,
                    names.get(item.owner_id, item.owner_id),
                    item.owner_id,
                    item.due,
                    STATUS_LABELS[item.status],
                    RAG_LABELS[item.rag] if item.rag else None,
                    item.risks,
                    item.measure,
                    item.outcome,
                    latest.note if latest else None,
                    _local_day(latest.at, zone) if latest else None,
                    names.get(latest.author_id, latest.author_id) if latest else None,
                    item.drop_reason,
                    _local_day(item.status_changed_at, zone),
                    _local_day(item.created_at, zone),
                ]
            )
    return rows


def note_rows(
    groups: Iterable[AfiGroup],
    *,
    names: Mapping[str, str],
    zone: ZoneInfo,
    notes: Mapping[int, Sequence[ProgressUpdate]],
) -> list[list[Cell]]:
    """Every progress note, by action in plan order and then by date, under NOTES_HEADER."""
    return [
        [
            item.number,
            item.key_action,
            _local_day(note.at, zone),
            names.get(note.author_id, note.author_id),
            RAG_LABELS[note.rag] if note.rag else None,
            note.note,
        ]
        for group in groups
        for item in group.actions
        for note in notes.get(item.number, ())
    ]


def _csv_text(cell: Cell) -> str:
    if cell is None:
        return ""
    text = cell.isoformat() if isinstance(cell, date) else str(cell)
    return "'" + text if text.startswith(_FORMULA_PREFIXES) else text


def plan_csv(rows: Iterable[Sequence[Cell]]) -> bytes:
    """The plan rows as CSV with a header, for Excel (a byte-order mark says it is UTF-8)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PLAN_HEADER)
    for row in rows:
        writer.writerow([_csv_text(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")


def _fill(
    sheet: Worksheet, header: list[str], rows: Iterable[Sequence[Cell]], widths: list[int]
) -> None:
    sheet.append(header)
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        # Control characters pasted into Slack would make openpyxl refuse to save the workbook.
        sheet.append([ILLEGAL_CHARACTERS_RE.sub("", c) if isinstance(c, str) else c for c in row])
    for row_cells in sheet.iter_rows(min_row=2):
        for cell in row_cells:
            if cell.data_type == "f":  # openpyxl runs any text starting "=" as a formula
                cell.data_type = "s"
            if isinstance(cell.value, date):
                cell.number_format = DATE_FORMAT
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A2"


def plan_xlsx(plan: Iterable[Sequence[Cell]], notes: Iterable[Sequence[Cell]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None  # a new workbook has one sheet
    sheet.title = "Improvement plan"
    _fill(sheet, PLAN_HEADER, plan, PLAN_WIDTHS)
    _fill(workbook.create_sheet("Progress notes"), NOTES_HEADER, notes, NOTES_WIDTHS)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
