"""A review's rules, free of Slack and storage: the Appendix 1 form's checks, what an edit
changes and how the channel is told, and what a stage still lacks."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.calendar import format_date
from bot.core.councils import COUNCILS, MAX_PEER_COUNCILS
from bot.core.roles import Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import ReviewProgress, Stage
from bot.core.timeline import LABELS, Timeline, check_timeline, with_defaults
from bot.reviews.views import (
    DATE_FIELDS,
    FOCUS_MAX,
    RATIONALE_MAX,
    SUGGESTED_DATE_FIELDS,
    TEAM_MAX,
    StartForm,
)
from bot.slack.payloads import is_user_id
from bot.slack.text import escape_mrkdwn, join_words

TEXT_LABELS = {
    "host_council": "Host council",
    "focus": "Focus",
    "rationale": "Rationale for the focus",
    "peer_rationale": "Rationale for the peer councils",
}


def team_of(form: StartForm) -> tuple[tuple[str, Role], ...]:
    """The team the form names: both leads, then the host and IS teams."""
    members: list[tuple[str, Role]] = []
    if form.host_lead:
        members.append((form.host_lead, Role.HOST_LEAD))
    if form.is_lead:
        members.append((form.is_lead, Role.IS_LEAD))
    members += [(user, Role.HOST_TEAM) for user in form.host_team if user != form.host_lead]
    members += [(user, Role.IS_TEAM) for user in form.is_team if user != form.is_lead]
    return tuple(members)


def validate_start_form(form: StartForm, *, today: date, opener: str) -> dict[str, str]:
    """field → message for each problem to fix. The IS completes the form "in discussion
    with the host", so the opener is a lead or on the IS team."""
    errors: dict[str, str] = {}
    if not form.host_lead:
        errors["host_lead"] = "Choose the host local authority's lead."
    for field in ("host_lead", "is_lead"):
        if getattr(form, field) and not is_user_id(getattr(form, field)):
            errors.setdefault(field, "Choose a person from the list.")
    for field in ("host_team", "is_team"):
        people = getattr(form, field)
        if len(people) > TEAM_MAX:
            errors[field] = f"Choose up to {TEAM_MAX} people."
        elif not all(map(is_user_id, people)):
            errors[field] = "Choose people from the list."
    if not form.is_lead:
        errors.setdefault("is_lead", "Choose the Improvement Service's lead.")
    elif form.is_lead == form.host_lead:
        errors.setdefault(
            "is_lead", "The host lead and the Improvement Service lead are two different people."
        )
    if opener not in (form.host_lead, form.is_lead, *form.is_team):
        errors.setdefault(
            "is_team",
            "You're opening the review, so name yourself as one of the leads or on the "
            "Improvement Service team.",
        )
    return validate_details(form, today=today, before=None) | errors


def validate_details(form: StartForm, *, today: date, before: Timeline | None) -> dict[str, str]:
    """Problems with the details and dates; a past date unchanged from `before` is none."""
    errors: dict[str, str] = {}
    add = errors.setdefault
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
    if not form.fieldwork_start and any(getattr(form, f) for f in SUGGESTED_DATE_FIELDS):
        add("fieldwork_start", "Give the fieldwork dates: the other dates are set around them.")
    completed = with_defaults(form.timeline)
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
        if problem.overridable:
            message += " Or tick \u201cAllow dates outside the guidance's windows\u201d."
        add(problem.field, message)
    return errors


def form_of(review: ReviewSnapshot) -> StartForm:
    """The form as the review stands, for `/psif edit` to reopen."""
    details = ("host_council", "focus", "rationale", "peer_rationale", "checklist_id")
    return StartForm.model_validate(
        {name: getattr(review, name) for name in details}
        | {"peer_councils": list(review.peer_councils), **review.timeline.as_dict()}
    )


def validate_edit(
    form: StartForm, *, review: ReviewSnapshot, today: date, council_locked: bool
) -> dict[str, str]:
    errors = validate_details(form, today=today, before=review.timeline)
    if council_locked and form.host_council != review.host_council:
        errors.setdefault(
            "host_council",
            "The self-assessment has started, so the host council can't change now.",
        )
    return errors


def changed_fields(form: StartForm, review: ReviewSnapshot) -> dict[str, Any]:
    """Column → new value, for each detail or date the form changes."""
    new: dict[str, Any] = {
        "host_council": form.host_council,
        **{name: getattr(form, name).strip() for name in TEXT_LABELS if name != "host_council"},
        **with_defaults(form.timeline).as_dict(),
    }
    old: dict[str, Any] = {name: getattr(review, name) for name in TEXT_LABELS}
    old |= review.timeline.as_dict()
    return {name: value for name, value in new.items() if value != old[name]}


def _day(day: date | None, other: date | None) -> str:
    if day is None:
        return "no date"
    same_year = other is not None and other.year == day.year
    return f"{day.day} {day:%B}" if same_year else format_date(day)


def describe_changes(
    changes: dict[str, Any], review: ReviewSnapshot, peer_councils: list[str]
) -> list[str]:
    """One line per change, in the form's order."""
    lines = []
    for name in TEXT_LABELS:
        if name in changes:
            value = escape_mrkdwn(str(changes[name])) or "_(cleared)_"
            lines.append(f"{TEXT_LABELS[name]} is now: {value}")
    if list(review.peer_councils) != peer_councils:
        now = join_words(peer_councils) if peer_councils else "none"
        lines.append(f"Peer councils to approach are now: {now}")
    for name in DATE_FIELDS:
        if name in changes:
            before, after = getattr(review.timeline, name), changes[name]
            if after is None:
                lines.append(f"{LABELS[name]} no longer has a date (was {format_date(before)})")
            elif before is None:
                lines.append(f"{LABELS[name]} set for {format_date(after)}")
            else:
                lines.append(
                    f"{LABELS[name]} moved from {_day(before, after)} to {format_date(after)}"
                )
    return lines


def stage_gaps(stage: Stage, progress: ReviewProgress) -> list[str]:
    """What the stage still lacks, in plain words: gaps warn, they never block a move."""
    t, today = progress.timeline, progress.today
    gaps: list[str] = []
    if stage is Stage.GETTING_READY:
        if not progress.has_host_lead:
            gaps.append("No host lead is named.")
        if not progress.has_is_lead:
            gaps.append("No Improvement Service lead is named.")
        if progress.peer_council_count < 3:
            gaps.append(
                f"{progress.peer_council_count} of 3 peer councils named (the guidance asks "
                "for three)."
            )
        agreed, declined = progress.peer_councils_agreed, progress.peer_councils_declined
        if agreed is not None and agreed < 3:
            gaps.append(
                f"{agreed} of 3 peer councils have agreed to take part (`/psif peers` records "
                "who has been approached and what they said)."
            )
        if declined and progress.peer_council_count - declined < 3:
            gaps.append(
                f"{declined} peer {'council has' if declined == 1 else 'councils have'} "
                "declined: approach another (`/psif edit` adds it to the list)."
            )
        for name in progress.agreed_without_reviewers:
            council = escape_mrkdwn(name)
            gaps.append(
                f"{council} agreed, but none of its peer reviewers is on the team yet "
                f"(`/psif team add @a as peer {council}`)."
            )
        if not progress.peer_reviewers_named:
            gaps.append("No peer reviewers are on the team yet (`/psif team add … as peer`).")
        if t.fieldwork_start is None:
            gaps.append("Fieldwork dates are not agreed.")
    elif stage is Stage.PRE_WORK:
        invited, finished = progress.stakeholders_invited, progress.stakeholders_finished
        if not invited:
            gaps.append("No stakeholders have been invited to the self-assessment.")
        elif finished is not None and finished < invited and not progress.self_assessment_closed:
            closes = progress.self_assessment_closes
            when = f", closes {format_date(closes)}" if closes else ""
            gaps.append(f"Self-assessment still open: {finished} of {invited} responded{when}.")
        if t.papers_due and today <= t.papers_due:
            gaps.append(f"Papers are due to the team by {format_date(t.papers_due)}.")
    elif stage is Stage.FIELDWORK_CONTEXT:
        if progress.vote_open:
            gaps.append("Prioritisation vote is still open.")
        if not progress.prioritised_afi_count:
            gaps.append("No areas for improvement have been prioritised yet.")
    elif stage is Stage.FIELDWORK_PLANNING:
        if not progress.action_count:
            gaps.append("No improvement actions have been logged yet.")
    elif stage is Stage.REPORTING:
        if t.draft_report and today < t.draft_report:
            gaps.append(f"Draft report due to be circulated {format_date(t.draft_report)}.")
        if t.leads_meeting and today < t.leads_meeting:
            gaps.append(f"Leads' meeting on the draft is on {format_date(t.leads_meeting)}.")
    elif stage is Stage.SHARING:
        if t.final_report and today < t.final_report:
            gaps.append(f"Final reporting is planned for {format_date(t.final_report)}.")
    elif stage is Stage.FOLLOW_UP and progress.open_action_count:
        gaps.append(f"{progress.open_action_count} improvement actions are still open.")
    return gaps + list(progress.extra_gaps)
