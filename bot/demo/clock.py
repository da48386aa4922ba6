"""A clock that is moved rather than waited for, across a review's timeline."""

from __future__ import annotations

from datetime import datetime, timedelta


class SettableClock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
