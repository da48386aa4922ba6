"""The report's facts for the stage checks, and the order the guidance puts its steps in
(which a lead may bend with "Do it anyway")."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from bot.core.calendar import format_date


@dataclass(frozen=True)
class OpenComment:
    id: int
    version_number: int
    author_id: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class FieldworkFacts:
    sessions_planned: int
    prioritised_without_findings: tuple[int, ...]
    report_versions: int
    report_final: bool


def fieldwork_not_over(fieldwork_end: date | None, today: date) -> list[str]:
    """What is missing before the draft report (guidance §5.4: after fieldwork)."""
    if fieldwork_end is None:
        return ["Fieldwork has no dates yet."]
    if today <= fieldwork_end:
        return [f"Fieldwork ends on {format_date(fieldwork_end)}."]
    return []


def missing_before_final(
    *,
    fieldwork_end: date | None,
    today: date,
    leads_meeting: date | None,
    leads_meeting_done: bool,
    open_comments: int,
) -> list[str]:
    """Fieldwork over, the leads' meeting held, comments answered (guidance §5.4)."""
    missing = fieldwork_not_over(fieldwork_end, today)
    if not leads_meeting_done and (leads_meeting is None or leads_meeting > today):
        missing.append(
            f"The leads' meeting on the draft is planned for {format_date(leads_meeting)}."
            if leads_meeting
            else "The leads' meeting on the draft has no date yet."
        )
    if open_comments:
        are = "is" if open_comments == 1 else "are"
        noun = "comment" if open_comments == 1 else "comments"
        missing.append(f"{open_comments} {noun} on the draft {are} still open.")
    return missing


def session_not_held(session_day: date, today: date) -> str | None:
    """Why a finding can't yet come from a session: it hasn't happened (None if it has)."""
    if session_day <= today:
        return None
    return f"That session is planned for {format_date(session_day)}, so it hasn't happened yet."


def missing_before_milestone(
    milestone: str,
    *,
    fieldwork_end: date | None,
    today: date,
    drafted: bool,
    leads_meeting: date | None,
    leads_meeting_done: bool,
) -> list[str]:
    """What the guidance puts before a milestone recorded by hand (`/psif done`)."""
    if milestone == "draft_report":
        return fieldwork_not_over(fieldwork_end, today)
    if milestone == "leads_meeting":
        return [] if drafted else ["No draft report has been built yet (`/psif report`)."]
    if milestone == "final_report":
        return missing_before_final(
            fieldwork_end=fieldwork_end,
            today=today,
            leads_meeting=leads_meeting,
            leads_meeting_done=leads_meeting_done,
            open_comments=0,
        )
    return []
