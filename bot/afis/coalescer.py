"""Coalesce bursts of "this changed" into at most one send per key per interval.

Many listener threads call `request(key)`; one send per key runs at a time, never sooner
than `interval` after the previous send began. A request that arrives while a send is
running marks the key dirty, so one more send follows and always reads the latest state:
the last send of a burst starts after the last change, so the final result is exact.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from typing import Generic, TypeVar

logger = logging.getLogger(__name__)

Key = TypeVar("Key", bound=Hashable)
# Runs `callback` after `delay` seconds, on some other thread.
Scheduler = Callable[[float, Callable[[], None]], None]


def start_timer(delay: float, callback: Callable[[], None]) -> None:
    timer = threading.Timer(delay, callback)
    timer.daemon = True
    timer.start()


@dataclass
class _KeyState:
    scheduled: bool = False
    dirty: bool = False
    not_before: float = 0.0


class Coalescer(Generic[Key]):
    """`send(key)` returns None when done, or seconds to wait when asked to slow down
    (Slack's Retry-After); the key then stays dirty and is sent again after the wait."""

    def __init__(
        self,
        send: Callable[[Key], float | None],
        *,
        interval: float,
        clock: Callable[[], float] = time.monotonic,
        schedule: Scheduler = start_timer,
    ) -> None:
        self._send = send
        self._interval = interval
        self._clock = clock
        self._schedule = schedule
        self._lock = threading.Lock()
        self._states: dict[Key, _KeyState] = {}

    def request(self, key: Key) -> None:
        """Note that `key` changed; a send follows within about one interval."""
        with self._lock:
            state = self._states.setdefault(key, _KeyState())
            state.dirty = True
            if state.scheduled:
                return
            state.scheduled = True
            delay = max(0.0, state.not_before - self._clock())
        self._schedule(delay, lambda: self._run(key))

    def _run(self, key: Key) -> None:
        with self._lock:
            state = self._states[key]
            state.dirty = False
            started = self._clock()
        wait: float | None = None
        try:
            wait = self._send(key)
        except Exception:  # a failed refresh must not stop later ones; the next change retries
            logger.exception("refresh of %r failed", key)
        with self._lock:
            if wait is not None:
                state.dirty = True
                state.not_before = self._clock() + wait
            else:
                state.not_before = started + self._interval
            if not state.dirty:
                state.scheduled = False
                return
            delay = max(0.0, state.not_before - self._clock())
        self._schedule(delay, lambda: self._run(key))
