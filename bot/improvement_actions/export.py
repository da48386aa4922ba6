"""The improvement plan as CSV, for council performance systems.

Dates are ISO (2027-03-03) so spreadsheets and performance systems read them as dates;
cells that a spreadsheet would run as a formula are defused.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.improvement_actions.rules import STATUS_LABELS, AfiGroup

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
    "Risks or costs",
    "How we will know",
    "Overall outcome",
    "Reason dropped",
    "Status changed on",
    "Logged on",
]

_FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def _defuse(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_PREFIXES) else cell


def _local_day(moment: datetime | None, zone: ZoneInfo) -> str:
    return moment.astimezone(zone).date().isoformat() if moment else ""


def plan_csv(groups: Iterable[AfiGroup], *, names: Mapping[str, str], zone: ZoneInfo) -> bytes:
    """One row per action, in plan order; `names` maps Slack user ids to display names."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(PLAN_HEADER)
    for group in groups:
        for item in group.actions:
            afi = item.afi
            row = [
                str(item.number),
                str(afi.number) if afi else "",
                afi.text if afi else "Not linked to an AFI",
                ("Yes" if afi.prioritised else "No") if afi else "",
                str(afi.rank) if afi and afi.rank is not None else "",
                item.key_action,
                names.get(item.owner_id, item.owner_id),
                item.owner_id,
                item.due.isoformat(),
                STATUS_LABELS[item.status],
                item.risks,
                item.measure,
                item.outcome,
                item.drop_reason,
                _local_day(item.status_changed_at, zone),
                _local_day(item.created_at, zone),
            ]
            writer.writerow([_defuse(cell) for cell in row])
    return buffer.getvalue().encode("utf-8-sig")
