"""Findings as storage returns them and builders render them: kinds and sources with their
labels, the read-only finding item and the options for improvement an action can carry out.

Findings never record who said what (guidance §2): a source is a kind of evidence or a
session, never a person.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.calendar import format_date
from bot.core.fieldwork import KIND_LABELS as SESSION_KIND_LABELS
from bot.core.fieldwork import SessionKind


class FindingKind(StrEnum):
    STRENGTH = "strength"
    CONCERN = "concern"
    OPTION = "option"


KIND_LABELS: dict[FindingKind, str] = {
    FindingKind.STRENGTH: "Strength",
    FindingKind.CONCERN: "Concern",
    FindingKind.OPTION: "Option for improvement",
}
KIND_HEADINGS: dict[FindingKind, str] = {
    FindingKind.STRENGTH: "Strengths",
    FindingKind.CONCERN: "Concerns",
    FindingKind.OPTION: "Options for improvement",
}


class FindingSource(StrEnum):
    SESSION = "session"
    DOCUMENT = "document"
    DATA = "data"
    OBSERVATION = "observation"


SOURCE_LABELS: dict[FindingSource, str] = {
    FindingSource.SESSION: "Fieldwork session",
    FindingSource.DOCUMENT: "A document",
    FindingSource.DATA: "Data",
    FindingSource.OBSERVATION: "An observation",
}


@dataclass(frozen=True)
class FindingItem:
    """A finding as builders show it. `source_label` names a session by its kind and day
    ("Focus group, 4 March 2027"), never by who took part."""

    id: int
    number: int
    afi_id: int
    afi_number: int
    kind: FindingKind
    source: FindingSource
    text: str
    session_id: int | None = None
    session: tuple[SessionKind, date] | None = None  # the session's kind and day, if it exists

    @property
    def source_label(self) -> str:
        if self.session is not None:
            kind, day = self.session
            return f"{SESSION_KIND_LABELS[kind]}, {format_date(day)}"
        if self.source is FindingSource.SESSION:
            return "A fieldwork session"
        return SOURCE_LABELS[self.source]


@dataclass(frozen=True)
class OptionChoice:
    """An option for improvement an action can carry out, under the AFI it counts as now."""

    id: int
    number: int
    afi_id: int
    afi_number: int
    text: str
