"""Fieldwork sessions as storage returns them and builders render them: kinds and modes with
their labels, the read-only session item and a validated session ready to store.

Who takes part is a description of a group and a head count, never names (guidance §2).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.calendar import format_date, format_day


class SessionKind(StrEnum):
    INTERVIEW = "interview"
    FOCUS_GROUP = "focus_group"
    SITE_VISIT = "site_visit"
    OTHER = "other"


KIND_LABELS: dict[SessionKind, str] = {
    SessionKind.INTERVIEW: "Interview",
    SessionKind.FOCUS_GROUP: "Focus group",
    SessionKind.SITE_VISIT: "Site visit",
    SessionKind.OTHER: "Other session",
}
KIND_PLURALS: dict[SessionKind, str] = {
    SessionKind.INTERVIEW: "interviews",
    SessionKind.FOCUS_GROUP: "focus groups",
    SessionKind.SITE_VISIT: "site visits",
    SessionKind.OTHER: "other sessions",
}


class SessionMode(StrEnum):
    IN_PERSON = "in_person"
    REMOTE = "remote"


MODE_LABELS: dict[SessionMode, str] = {
    SessionMode.IN_PERSON: "In person",
    SessionMode.REMOTE: "Remote",
}


class SessionStatus(StrEnum):
    PLANNED = "planned"
    CANCELLED = "cancelled"


def clock(minute: int) -> str:
    """'09:30' for 570."""
    return f"{minute // 60:02d}:{minute % 60:02d}"


@dataclass(frozen=True)
class AfiLabel:
    """An AFI a session probes: number and wording."""

    id: int
    number: int
    text: str


@dataclass(frozen=True)
class SessionItem:
    """A fieldwork session as builders and rules see it."""

    id: int
    number: int
    kind: SessionKind
    day: date
    start_minute: int
    minutes: int
    participants: str
    participant_count: int
    mode: SessionMode
    status: SessionStatus = SessionStatus.PLANNED
    afis: tuple[AfiLabel, ...] = ()
    runners: tuple[str, ...] = ()

    @property
    def cancelled(self) -> bool:
        return self.status is SessionStatus.CANCELLED

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

    @property
    def source_label(self) -> str:
        """How a finding from this session names its source: kind and day, never people."""
        return f"{KIND_LABELS[self.kind]}, {format_date(self.day)}"


@dataclass(frozen=True)
class SessionFields:
    """A validated session, ready to store."""

    kind: SessionKind
    day: date
    start_minute: int
    minutes: int
    afi_ids: tuple[int, ...]
    runners: tuple[str, ...]
    participants: str
    participant_count: int
    mode: SessionMode
