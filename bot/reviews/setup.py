"""Checks on a new review's Appendix 1 details, independent of Slack and storage."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import format_date
from bot.core.timeline import Timeline, check_timeline, with_defaults
from bot.reviews.councils import COUNCILS
from bot.reviews.form import FOCUS_MAX, MAX_PEER_COUNCILS, RATIONALE_MAX, TEAM_MAX, StartForm
from bot.slack.payloads import is_user_id


def complete_timeline(form: StartForm) -> Timeline:
    return with_defaults(form.timeline)


def validate_start_form(form: StartForm, *, today: date, opener: str) -> dict[str, str]:
    """field → message for every problem the person must fix (one message per field).

    The guidance has the Improvement Service complete the form "in discussion with the
    host", so the opener must be one of the two leads or on the IS team.
    """
    errors: dict[str, str] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, message)

    if not form.host_lead:
        add("host_lead", "Choose the host local authority's lead.")
    for field in ("host_lead", "is_lead"):
        if getattr(form, field) and not is_user_id(getattr(form, field)):
            add(field, "Choose a person from the list.")
    for field in ("host_team", "is_team"):
        people = getattr(form, field)
        if len(people) > TEAM_MAX:
            add(field, f"Choose up to {TEAM_MAX} people.")
        elif not all(map(is_user_id, people)):
            add(field, "Choose people from the list.")
    if not form.is_lead:
        add("is_lead", "Choose the Improvement Service's lead.")
    elif form.is_lead == form.host_lead:
        add("is_lead", "The host lead and the Improvement Service lead are two different people.")
    if opener not in (form.host_lead, form.is_lead, *form.is_team):
        add(
            "is_team",
            "You're opening the review, so name yourself as one of the leads or on the "
            "Improvement Service team.",
        )
    for field, message in validate_details(form, today=today, before=None).items():
        add(field, message)
    return errors


def validate_details(form: StartForm, *, today: date, before: Timeline | None) -> dict[str, str]:
    """Problems with the review's details and dates. When editing, `before` holds the dates
    as they were: a date already past that nobody changed is not a problem."""
    errors: dict[str, str] = {}

    def add(field: str, message: str) -> None:
        errors.setdefault(field, message)

    if not form.host_council or form.host_council not in COUNCILS:
        add("host_council", "Choose the host local authority.")
    if not form.focus.strip():
        add("focus", "Say what the review will focus on.")
    for field, limit in (
        ("focus", FOCUS_MAX),
        ("rationale", RATIONALE_MAX),
        ("peer_rationale", RATIONALE_MAX),
    ):
        length = len(getattr(form, field).strip())
        if length > limit:
            add(field, f"Keep this to {limit} characters (this is {length}).")
    if len(form.peer_councils) > MAX_PEER_COUNCILS or not set(form.peer_councils) <= set(COUNCILS):
        add("peer_councils", f"Choose up to {MAX_PEER_COUNCILS} councils from the list.")
    if form.host_council and form.host_council in form.peer_councils:
        add(
            "peer_councils",
            f"{form.host_council} is the host, so it can't also be a peer "
            "council. Choose other councils.",
        )
    if form.fieldwork_end and not form.fieldwork_start:
        add("fieldwork_start", "Give the date fieldwork starts as well as the end.")
    for field in ("pre_meeting", "draft_report", "leads_meeting", "final_report"):
        if getattr(form, field) and not form.fieldwork_start:
            add("fieldwork_start", "Give the fieldwork dates: the other dates are set around them.")
    completed = complete_timeline(form)
    for problem in check_timeline(completed, today=today):
        if problem.overridable and form.allow_outside_guidance:
            continue
        unchanged = before is not None and getattr(before, problem.field) == getattr(
            completed, problem.field
        )
        if unchanged and problem.message.endswith("in the past."):
            continue  # a date that has happened stays as it was
        message = problem.message
        suggested = getattr(completed, problem.field)
        if getattr(form, problem.field) is None and suggested is not None:
            if {"fieldwork_start", "fieldwork_end"} & errors.keys():
                continue  # follows from the fieldwork problem already reported
            message = f"The suggested date, {format_date(suggested)}, doesn't work. {message}"
        suffix = (
            " Or tick \u201cAllow dates outside the guidance's windows\u201d."
            if (problem.overridable)
            else ""
        )
        add(problem.field, message + suffix)
    return errors
