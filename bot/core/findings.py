"""Findings: kinds and sources with labels, the read-only item, options an action can carry
out. Findings never record who said what (guidance §2), so a text naming someone is refused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.calendar import format_date
from bot.core.fieldwork import KIND_LABELS as FIELDWORK_KIND_LABELS
from bot.core.fieldwork import FieldworkKind


class FindingKind(StrEnum):
    STRENGTH = "strength"
    CONCERN = "concern"
    OPTION = "option"


# Each kind's label, and its heading over a list of them.
_KIND_WORDS: dict[FindingKind, tuple[str, str]] = {
    FindingKind.STRENGTH: ("Strength", "Strengths"),
    FindingKind.CONCERN: ("Concern", "Concerns"),
    FindingKind.OPTION: ("Option for improvement", "Options for improvement"),
}
KIND_LABELS = {kind: label for kind, (label, _) in _KIND_WORDS.items()}
KIND_HEADINGS = {kind: heading for kind, (_, heading) in _KIND_WORDS.items()}


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

# A Slack mention of a user or group, or a typed "@name", but not an email address.
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(\|[^>]*)?>|<!subteam\^[A-Z0-9]+(\|[^>]*)?>|(?<![\w.])@\w")


def mentions_a_person(text: str) -> bool:
    return _MENTION.search(text) is not None


@dataclass(frozen=True)
class FindingItem:
    id: int
    number: int
    afi_id: int
    afi_number: int
    kind: FindingKind
    source: FindingSource
    text: str
    fieldwork_session_id: int | None = None
    fieldwork_session: tuple[FieldworkKind, date] | None = None  # if it still exists
    learning_to_share: bool = False

    @property
    def source_label(self) -> str:
        if self.fieldwork_session is not None:
            kind, day = self.fieldwork_session
            return f"{FIELDWORK_KIND_LABELS[kind]}, {format_date(day)}"
        if self.source is FindingSource.SESSION:
            return "A fieldwork session"
        return SOURCE_LABELS[self.source]


@dataclass(frozen=True)
class OptionChoice:
    id: int
    number: int
    afi_id: int
    afi_number: int
    text: str
