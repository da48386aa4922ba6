"""Findings as storage returns them and builders render them: kinds and sources with their
labels, the read-only finding item, the options for improvement an action can carry out, and
the one check that a text names nobody.

Findings never record who said what (guidance §2): a source is a kind of evidence or a
session, never a person, and a text that mentions a Slack user is refused.
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

# `<@U123>` / `<@U123|name>` as Slack encodes a mention, `<!subteam^S1>` for a user group, and
# an "@name" typed into a form (Slack leaves those as plain text), but not an email address.
_MENTION = re.compile(r"<@[UW][A-Z0-9]+(\|[^>]*)?>|<!subteam\^[A-Z0-9]+(\|[^>]*)?>|(?<![\w.])@\w")


def mentions_a_person(text: str) -> bool:
    return _MENTION.search(text) is not None


@dataclass(frozen=True)
class FindingItem:
    """A finding as builders show it. `source_label` names a fieldwork session by its kind
    and day ("Focus group, 4 March 2027"), never by who took part."""

    id: int
    number: int
    afi_id: int
    afi_number: int
    kind: FindingKind
    source: FindingSource
    text: str
    fieldwork_session_id: int | None = None
    # The fieldwork session's kind and day, if it still exists.
    fieldwork_session: tuple[FieldworkKind, date] | None = None
    # A lead marked it as learning worth sharing across Scottish local government.
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
    """An option for improvement an action can carry out, under the AFI it counts as now."""

    id: int
    number: int
    afi_id: int
    afi_number: int
    text: str
