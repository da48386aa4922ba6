"""What listeners and jobs need, passed in explicitly instead of read from globals."""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from functools import cached_property
from typing import ParamSpec, TypeVar

from sqlalchemy import Engine

from bot.core.checklist import Checklist
from bot.core.checklist_loader import load_default_checklist
from bot.respondent_secret import resolve_respondent_secret
from bot.settings import Settings
from storage.db import SessionFactory

Clock = Callable[[], datetime]
P = ParamSpec("P")
T = TypeVar("T")


def default_checklists() -> dict[str, Checklist]:
    checklist = load_default_checklist()
    return {checklist.id: checklist}


def system_clock() -> datetime:
    return datetime.now(UTC)


class ContextExecutor(ThreadPoolExecutor):
    """Runs work in the submitting request's context (bot.slack.tenancy's requester)."""

    def submit(self, fn: Callable[P, T], /, *args: P.args, **kwargs: P.kwargs) -> Future[T]:
        context = contextvars.copy_context()

        def in_context() -> T:
            return context.run(fn, *args, **kwargs)

        return super().submit(in_context)


@dataclass
class Deps:
    settings: Settings
    engine: Engine
    sessions: SessionFactory
    clock: Clock = system_clock
    checklist_names: dict[str, str] = field(default_factory=lambda: {"psif-default": "PSIF"})
    checklists: dict[str, Checklist] = field(default_factory=default_checklists)
    closers: list[Callable[[], None]] = field(default_factory=list)  # run by close()
    after_ack: ContextExecutor = field(init=False)  # bot.slack.after_ack

    def __post_init__(self) -> None:
        self.after_ack = ContextExecutor(
            max_workers=self.settings.listener_threads, thread_name_prefix="psif-after-ack"
        )
        self.closers.append(lambda: self.after_ack.shutdown(wait=True, cancel_futures=True))

    def close(self) -> None:
        while self.closers:
            self.closers.pop()()

    @cached_property
    def respondent_secret(self) -> bytes:
        return resolve_respondent_secret(self.settings)

    def now(self) -> datetime:
        return self.clock()

    def today(self) -> date:
        """Today where the councils are."""
        return self.clock().astimezone(self.settings.timezone).date()
