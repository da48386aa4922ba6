"""A clock that is moved rather than waited for: the demo and the tests jump the bot's time
across a review's timeline."""

from __future__ import annotations

from datetime import datetime, timedelta


class SettableClock:
    """The bot's clock (a `bot.deps.Clock`); call it for the current moment."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now

    def set(self, now: datetime) -> None:
        self.now = now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
