"""The guidance's timeline rules (Appendix 1 and section 5). Defaults land on Scottish
working days; rules the guidance softens with "where possible" are overridable.
"""

from __future__ import annotations

from dataclasses import dataclass, fields, replace
from datetime import date, timedelta

from bot.core.calendar import (
    format_date,
    previous_working_day,
    why_not_working,
    working_day_on_or_after,
    working_day_on_or_before,
    working_days_between,
)

PRE_MEETING_MIN_DAYS_BEFORE = 14
PAPERS_MIN_DAYS_BEFORE = 14
DEFAULT_FIELDWORK_WORKING_DAYS = 3
MAX_FIELDWORK_WORKING_DAYS = 5
DRAFT_REPORT_DEFAULT_DAYS_AFTER = 14
DRAFT_REPORT_MAX_DAYS_AFTER = 21
LEADS_MEETING_DEFAULT_DAYS_AFTER = 28
LEADS_MEETING_MAX_DAYS_AFTER = 35
FINAL_REPORT_DEFAULT_DAYS_AFTER_LEADS = 14
# Dates people meet on, so they fall on Scottish working days.
MEETING_FIELDS = ("pre_meeting", "fieldwork_start", "fieldwork_end", "leads_meeting")

# In the natural order of the process.
LABELS: dict[str, str] = {
    "initial_meeting": "Initial meeting",
    "pre_meeting": "Team pre-meeting",
    "papers_due": "Papers circulated",
    "fieldwork_start": "Fieldwork starts",
    "fieldwork_end": "Fieldwork ends",
    "draft_report": "Draft report circulated",
    "leads_meeting": "Leads' meeting on the draft",
    "final_report": "Final reporting",
}


@dataclass(frozen=True)
class Timeline:
    """The review's agreed dates; any may be unknown (None)."""

    initial_meeting: date | None = None
    fieldwork_start: date | None = None
    fieldwork_end: date | None = None
    pre_meeting: date | None = None
    draft_report: date | None = None
    leads_meeting: date | None = None
    final_report: date | None = None

    @property
    def papers_due(self) -> date | None:
        """2 weeks before fieldwork, and a working day before the team pre-meeting."""
        if self.fieldwork_start is None:
            return None
        due = working_day_on_or_before(
            self.fieldwork_start - timedelta(days=PAPERS_MIN_DAYS_BEFORE)
        )
        if self.pre_meeting is None:
            return due
        return min(due, working_day_on_or_before(self.pre_meeting - timedelta(days=1)))

    def as_dict(self) -> dict[str, date | None]:
        return {field.name: getattr(self, field.name) for field in fields(self)}

    @classmethod
    def of(cls, source: object) -> Timeline:
        """The dates of anything that holds them under the same names (a review, a form)."""
        return cls(**{field.name: getattr(source, field.name) for field in fields(cls)})


SELF_ASSESSMENT_WORKING_DAYS_BEFORE_PAPERS = 5


def self_assessment_close_bound(timeline: Timeline, today: date) -> date | None:
    """The latest closing date allowed: 5 working days before the papers, so its analysis
    goes out with them, or today once that has passed."""
    if timeline.papers_due is None:
        return None
    latest = timeline.papers_due
    for _ in range(SELF_ASSESSMENT_WORKING_DAYS_BEFORE_PAPERS):
        latest = previous_working_day(latest)
    return max(latest, today)


def close_date_refusal(timeline: Timeline, closes_on: date, today: date) -> str | None:
    bound = self_assessment_close_bound(timeline, today)
    if bound is None or closes_on <= bound or timeline.papers_due is None:
        return None
    return (
        f"The self-assessment has to close by {format_date(bound)}: "
        f"{SELF_ASSESSMENT_WORKING_DAYS_BEFORE_PAPERS} working days before the papers are due "
        f"({format_date(timeline.papers_due)}, 2 weeks before fieldwork and a working day before "
        "the team pre-meeting), so that its analysis "
        "can go out with them. Choose that day or an earlier one, or if fieldwork has moved, "
        "a lead can change its dates with `/psif edit` first."
    )


@dataclass(frozen=True)
class Milestone:
    key: str
    label: str
    day: date


@dataclass(frozen=True)
class TimelineProblem:
    """A rule a timeline breaks. `field` names the date the user should change."""

    field: str
    message: str
    overridable: bool = False


def default_fieldwork_end(start: date) -> date:
    day = start
    for _ in range(DEFAULT_FIELDWORK_WORKING_DAYS - 1):
        day = working_day_on_or_after(day + timedelta(days=1))
    return day


def suggested_dates(fieldwork_start: date, fieldwork_end: date | None) -> Timeline:
    end = fieldwork_end or default_fieldwork_end(fieldwork_start)
    leads = working_day_on_or_before(end + timedelta(days=LEADS_MEETING_DEFAULT_DAYS_AFTER))
    return Timeline(
        fieldwork_start=fieldwork_start,
        fieldwork_end=end,
        pre_meeting=working_day_on_or_before(
            fieldwork_start - timedelta(days=PRE_MEETING_MIN_DAYS_BEFORE)
        ),
        draft_report=working_day_on_or_before(
            end + timedelta(days=DRAFT_REPORT_DEFAULT_DAYS_AFTER)
        ),
        leads_meeting=leads,
        final_report=_final_after(leads),
    )


def _final_after(leads_meeting: date) -> date:
    return working_day_on_or_after(
        leads_meeting + timedelta(days=FINAL_REPORT_DEFAULT_DAYS_AFTER_LEADS)
    )


def with_defaults(timeline: Timeline) -> Timeline:
    """Fill every blank date the guidance can suggest; keep the dates people chose."""
    if timeline.fieldwork_start is None:
        return timeline
    suggested = suggested_dates(timeline.fieldwork_start, timeline.fieldwork_end)
    filled = {
        name: value if value is not None else getattr(suggested, name, None)
        for name, value in timeline.as_dict().items()
        if name != "initial_meeting"
    }
    completed = replace(timeline, **filled)
    # Later defaults hang off the leads' meeting the user chose, not the suggested one.
    if timeline.final_report is None and completed.leads_meeting is not None:
        completed = replace(completed, final_report=_final_after(completed.leads_meeting))
    return completed


def check_timeline(timeline: Timeline, *, today: date) -> list[TimelineProblem]:
    t = timeline
    problems: list[TimelineProblem] = []

    def hard(field: str, message: str) -> None:
        problems.append(TimelineProblem(field, message))

    def soft(field: str, message: str) -> None:
        problems.append(TimelineProblem(field, message, overridable=True))

    for name, value in t.as_dict().items():
        if name != "initial_meeting" and value is not None and value < today:
            hard(name, f"{LABELS[name]} can't be in the past.")
    past = {problem.field for problem in problems}
    for name in MEETING_FIELDS:
        value = getattr(t, name)
        closed = why_not_working(value) if value is not None and name not in past else None
        if closed:
            # A team may meet anyway, and an unchanged date mustn't block editing the rest.
            soft(name, f"{LABELS[name]} falls on {closed}. Choose a working day.")

    if t.fieldwork_start and t.fieldwork_end:
        if t.fieldwork_end < t.fieldwork_start:
            hard("fieldwork_end", "Fieldwork can't end before it starts.")
        elif working_days_between(t.fieldwork_start, t.fieldwork_end) > MAX_FIELDWORK_WORKING_DAYS:
            soft(
                "fieldwork_end",
                "Fieldwork is usually 2 or 3 days; this is more than "
                f"{MAX_FIELDWORK_WORKING_DAYS} working days.",
            )
    if t.initial_meeting and t.fieldwork_start and t.initial_meeting >= t.fieldwork_start:
        hard("initial_meeting", "The initial meeting needs to come before fieldwork.")
    if t.pre_meeting and t.fieldwork_start and "pre_meeting" not in past:
        latest = t.fieldwork_start - timedelta(days=PRE_MEETING_MIN_DAYS_BEFORE)
        if t.pre_meeting > latest:
            hard(
                "pre_meeting",
                "The team pre-meeting needs to be at least 2 weeks before "
                f"fieldwork: on or before {format_date(latest)}.",
            )
    end = t.fieldwork_end or t.fieldwork_start
    if t.draft_report and end and "draft_report" not in past:
        latest = end + timedelta(days=DRAFT_REPORT_MAX_DAYS_AFTER)
        if t.draft_report <= end:
            hard("draft_report", "The draft report comes after fieldwork ends.")
        elif t.draft_report > latest:
            soft(
                "draft_report",
                "The guidance asks for the draft within 2–3 weeks of "
                f"fieldwork: by {format_date(latest)}.",
            )
    if t.leads_meeting and end and "leads_meeting" not in past:
        latest = end + timedelta(days=LEADS_MEETING_MAX_DAYS_AFTER)
        if t.draft_report and t.leads_meeting <= t.draft_report:
            hard(
                "leads_meeting",
                "The leads' meeting discusses the draft, so it comes after "
                "the draft report is circulated.",
            )
        elif t.leads_meeting <= end:
            hard("leads_meeting", "The leads' meeting comes after fieldwork ends.")
        elif t.leads_meeting > latest:
            soft(
                "leads_meeting",
                "The guidance asks for the leads' meeting within 4–5 weeks "
                f"of fieldwork: by {format_date(latest)}.",
            )
    if t.final_report and t.leads_meeting and t.final_report <= t.leads_meeting:
        hard("final_report", "Final reporting comes after the leads' meeting.")
    return problems


def milestones(timeline: Timeline) -> list[Milestone]:
    values = timeline.as_dict() | {"papers_due": timeline.papers_due}
    known = [Milestone(key, label, day) for key, label in LABELS.items() if (day := values[key])]
    return sorted(known, key=lambda m: m.day)  # stable: ties stay in LABELS' order


def next_milestone(
    timeline: Timeline, *, today: date, done: frozenset[str] = frozenset()
) -> Milestone | None:
    """The next date still ahead; milestones recorded done are not "coming"."""
    return next((m for m in milestones(timeline) if m.day >= today and m.key not in done), None)
