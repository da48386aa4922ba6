"""The report's facts as storage returns them: open comments on a draft, and what the stage
checks count about sessions, findings and report versions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class OpenComment:
    id: int
    version_number: int
    author_id: str
    text: str
    created_at: datetime


@dataclass(frozen=True)
class FieldworkFacts:
    """What the stage checks need to know about sessions, findings and the report."""

    sessions_planned: int
    prioritised_without_findings: tuple[int, ...]
    report_versions: int
    report_final: bool
