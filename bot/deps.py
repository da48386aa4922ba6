"""What listeners and jobs need, passed in explicitly instead of read from globals."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property

from sqlalchemy import Engine

from bot.self_assessment.checklist import Checklist, load_default_checklist
from bot.self_assessment.secret import resolve_respondent_secret
from bot.settings import Settings
from storage.db import SessionFactory

Clock = Callable[[], datetime]


def default_checklists() -> dict[str, Checklist]:
    checklist = load_default_checklist()
    return {checklist.id: checklist}


def system_clock() -> datetime:
    return datetime.now(UTC)


@dataclass
class Deps:
    settings: Settings
    engine: Engine
    sessions: SessionFactory
    clock: Clock = system_clock
    checklist_names: dict[str, str] = field(default_factory=lambda: {"psif-default": "PSIF"})
    checklists: dict[str, Checklist] = field(default_factory=default_checklists)
    # Long-lived helpers a feature creates once per process and shares between its
    # listeners (the AFI tally refresher), keyed by a name the feature chooses.
    process_helpers: dict[str, object] = field(default_factory=dict)

    @cached_property
    def respondent_secret(self) -> bytes:
        """The secret behind respondent keys (see bot.self_assessment.secret)."""
        return resolve_respondent_secret(self.settings)

    def now(self) -> datetime:
        """The current moment, timezone-aware (UTC)."""
        return self.clock()

    def today(self) -> date:
        """Today's date where the councils are (Europe/London by default)."""
        return self.clock().astimezone(self.settings.timezone).date()
