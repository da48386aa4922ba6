"""Fieldwork phase 2 (guidance §5.3): interviews, focus groups and visits that probe the
prioritised areas for improvement. Plain rules, no Slack and no database.

Who takes part is a description of a group and a head count, never names (guidance §2).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import TypeVar

from bot.core.calendar import format_date
from bot.core.fieldwork import SessionFields, SessionItem, SessionKind, SessionMode
from bot.core.permissions import Operation, permits
from bot.core.roles import Role
from bot.findings.rules import mentions_a_person
from bot.slack import ids
from bot.slack.payloads import whole_number

E = TypeVar("E", bound=StrEnum)

PARTICIPANTS_MAX = 300
MAX_PARTICIPANTS = 500
FIRST_START_MINUTE = 8 * 60
LAST_START_MINUTE = 18 * 60
START_STEP_MINUTES = 15
LENGTHS = (30, 45, 60, 90, 120, 180, 240)


def start_minutes() -> list[int]:
    return list(range(FIRST_START_MINUTE, LAST_START_MINUTE + 1, START_STEP_MINUTES))


def length_label(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} minutes"
    words = "1 hour" if hours == 1 else f"{hours} hours"
    return f"{words} {rest} minutes" if rest else words


@dataclass
class SessionForm:
    """The session modal's values, before validation."""

    kind: str | None = None
    day: date | None = None
    start: str | None = None
    length: str | None = None
    afi_ids: list[int] = field(default_factory=list)
    runners: list[str] = field(default_factory=list)
    participants: str = ""
    participant_count: str = ""
    mode: str | None = None


# The session modal's input block ids; errors are keyed by them.
FIELD_KIND = ids.FIELDWORK_KIND
FIELD_DAY = ids.FIELDWORK_DAY
FIELD_START = ids.FIELDWORK_START
FIELD_LENGTH = ids.FIELDWORK_LENGTH
FIELD_AFIS = ids.FIELDWORK_AFIS
FIELD_RUNNERS = ids.FIELDWORK_RUNNERS
FIELD_PARTICIPANTS = ids.FIELDWORK_PARTICIPANTS
FIELD_COUNT = ids.FIELDWORK_COUNT
FIELD_MODE = ids.FIELDWORK_MODE

NO_NAMES = (
    "Describe who takes part as a group (for example “frontline roads staff”), never by "
    "name: take out the @mention."
)


def fieldwork_window_text(start: date, end: date) -> str:
    if start == end:
        return format_date(start)
    return f"{format_date(start)} to {format_date(end)}"


def validate_session(
    form: SessionForm,
    *,
    fieldwork: tuple[date, date] | None,
    team: frozenset[str],
    afi_ids: frozenset[int],
) -> SessionFields | dict[str, str]:
    """The session to store, or errors keyed by input block id."""
    errors: dict[str, str] = {}
    kind = _enum(SessionKind, form.kind)
    mode = _enum(SessionMode, form.mode)
    if kind is None:
        errors[FIELD_KIND] = "Choose the kind of session."
    if mode is None:
        errors[FIELD_MODE] = "Say whether it's in person or remote."
    if fieldwork is None:
        errors[FIELD_DAY] = (
            "The review has no fieldwork dates yet, so sessions can't be placed. Agree them "
            "first (`/psif status` shows the timeline)."
        )
    elif form.day is None:
        errors[FIELD_DAY] = "Choose the day."
    elif not fieldwork[0] <= form.day <= fieldwork[1]:
        errors[FIELD_DAY] = (
            f"{format_date(form.day)} is outside fieldwork "
            f"({fieldwork_window_text(*fieldwork)}). Choose a day within it."
        )
    start = _number(form.start)
    if start is None or start not in start_minutes():
        errors[FIELD_START] = "Choose the start time."
    length = _number(form.length)
    if length is None or length not in LENGTHS:
        errors[FIELD_LENGTH] = "Choose how long it lasts."
    unknown_afis = [afi_id for afi_id in form.afi_ids if afi_id not in afi_ids]
    if not form.afi_ids:
        errors[FIELD_AFIS] = "Choose at least one area for improvement the session probes."
    elif unknown_afis:
        errors[FIELD_AFIS] = "An area you chose has since been withdrawn or merged; choose again."
    outsiders = [user for user in form.runners if user not in team]
    if not form.runners:
        errors[FIELD_RUNNERS] = "Choose who runs the session."
    elif outsiders:
        errors[FIELD_RUNNERS] = (
            "Sessions are run by the review team; "
            + ", ".join(f"<@{user}>" for user in outsiders)
            + " isn't on it."
        )
    participants = form.participants.strip()
    if not participants:
        errors[FIELD_PARTICIPANTS] = "Describe who takes part, for example “depot supervisors”."
    elif len(participants) > PARTICIPANTS_MAX:
        errors[FIELD_PARTICIPANTS] = f"Keep the description to {PARTICIPANTS_MAX} characters."
    elif mentions_a_person(participants):
        errors[FIELD_PARTICIPANTS] = NO_NAMES
    count = _number(form.participant_count)
    if count is None or not 1 <= count <= MAX_PARTICIPANTS:
        errors[FIELD_COUNT] = (
            f"Give how many people take part, as a number from 1 to {MAX_PARTICIPANTS}."
        )
    if errors:
        return errors
    assert kind and mode and form.day and start is not None and length and count
    return SessionFields(
        kind=kind,
        day=form.day,
        start_minute=start,
        minutes=length,
        afi_ids=tuple(dict.fromkeys(form.afi_ids)),
        runners=tuple(dict.fromkeys(form.runners)),
        participants=participants,
        participant_count=count,
        mode=mode,
    )


def _enum(kind: type[E], value: str | None) -> E | None:
    try:
        return kind(value) if value else None
    except ValueError:
        return None


def _number(text: str | None) -> int | None:
    cleaned = (text or "").strip()
    return whole_number(cleaned, digits=6)


def in_order(items: Iterable[SessionItem]) -> list[SessionItem]:
    return sorted(items, key=lambda item: (item.day, item.start_minute, item.number))


def sessions_run_by(user_id: str, items: Iterable[SessionItem]) -> list[SessionItem]:
    return in_order(item for item in items if user_id in item.runners and not item.cancelled)


def may_plan_sessions(roles: Iterable[Role]) -> bool:
    """The leads plan fieldwork: the host leads it, the Improvement Service facilitates."""
    return permits(Operation.PLAN_FIELDWORK, roles)
