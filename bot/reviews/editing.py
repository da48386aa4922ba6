"""`/psif edit`: the Appendix 1 form on an existing review, and what a save changes.

Pure: the form pre-filled from a review, the checks, the changed fields and the lines that
tell the channel what changed ("Fieldwork starts moved from 3 March to 10 March 2027").
"""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.calendar import format_date
from bot.core.snapshot import ReviewSnapshot
from bot.core.timeline import LABELS
from bot.reviews.form import DATE_FIELDS, StartForm
from bot.reviews.setup import complete_timeline, validate_details
from bot.slack.text import escape_mrkdwn, join_words

TEXT_LABELS = {
    "host_council": "Host council",
    "focus": "Focus",
    "rationale": "Rationale for the focus",
    "peer_rationale": "Rationale for the peer councils",
}


def form_of(review: ReviewSnapshot) -> StartForm:
    """The form as the review stands, for `/psif edit` to reopen."""
    return StartForm.model_validate(
        {
            "host_council": review.host_council,
            "focus": review.focus,
            "rationale": review.rationale,
            "peer_councils": list(review.peer_councils),
            "peer_rationale": review.peer_rationale,
            "checklist_id": review.checklist_id,
            **review.timeline.as_dict(),
        }
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
        "focus": form.focus.strip(),
        "rationale": form.rationale.strip(),
        "peer_rationale": form.peer_rationale.strip(),
        **complete_timeline(form).as_dict(),
    }
    old: dict[str, Any] = {
        "host_council": review.host_council,
        "focus": review.focus,
        "rationale": review.rationale,
        "peer_rationale": review.peer_rationale,
        **review.timeline.as_dict(),
    }
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
