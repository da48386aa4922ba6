"""Fieldwork sessions: kinds and modes with labels, the read-only item, validated fields.
Who takes part is a description and a head count, never names (guidance §2)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from bot.core.calendar import format_day


class FieldworkKind(StrEnum):
    INTERVIEW = "interview"
    FOCUS_GROUP = "focus_group"
    SITE_VISIT = "site_visit"
    OTHER = "other"


# In the plural, each is its label in lower case with an "s" ("focus groups").
KIND_LABELS: dict[FieldworkKind, str] = {
    FieldworkKind.INTERVIEW: "Interview",
    FieldworkKind.FOCUS_GROUP: "Focus group",
    FieldworkKind.SITE_VISIT: "Site visit",
    FieldworkKind.OTHER: "Other session",
}


class FieldworkMode(StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"


MODE_LABELS = {mode: mode.replace("_", " ").capitalize() for mode in FieldworkMode}


class FieldworkStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


# What the session form offers and accepts.
START_MINUTES = tuple(range(8 * 60, 18 * 60 + 1, 15))  # 08:00 to 18:00, on the quarter hour
LENGTHS = (30, 45, 60, 90, 120, 180, 240)
PARTICIPANTS_MAX = 300  # characters describing who takes part
MAX_PARTICIPANTS = 500  # people taking part


def length_label(minutes: int) -> str:
    """'45 minutes', '1 hour', '1 hour 30 minutes'."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} minutes"
    words = "1 hour" if hours == 1 else f"{hours} hours"
    return f"{words} {rest} minutes" if rest else words


def clock(minute: int) -> str:
    """'09:30' for 570."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class AfiLabel:
    """An AFI a form offers or a session probes, with an imported one's figures."""

    id: int
    number: int
    text: str
    figures: str | None = field(default=None, compare=False)


@dataclass(frozen=True)
class FieldworkSessionItem:
    id: int
    number: int
    kind: FieldworkKind
    day: date
    start_minute: int
    minutes: int
    participants: str
    participant_count: int
    mode: FieldworkMode
    status: FieldworkStatus = FieldworkStatus.PLANNED
    afis: tuple[AfiLabel, ...] = ()
    runners: tuple[str, ...] = ()

    @property
    def cancelled(self) -> bool:
        return self.status is FieldworkStatus.CANCELLED

    @property
    def times(self) -> str:
        return f"{clock(self.start_minute)}–{clock(self.start_minute + self.minutes)}"

    @property
    def label(self) -> str:
        """'Session 3: focus group, Thursday 4 March 2027 at 10:00'."""
        kind = KIND_LABELS[self.kind].lower()
        return (
            f"Session {self.number}: {kind}, {format_day(self.day)} at {clock(self.start_minute)}"
        )


@dataclass(frozen=True)
class FieldworkSessionFields:
    kind: FieldworkKind
    day: date
    start_minute: int
    minutes: int
    afi_ids: tuple[int, ...]
    runners: tuple[str, ...]
    participants: str
    participant_count: int
    mode: FieldworkMode
