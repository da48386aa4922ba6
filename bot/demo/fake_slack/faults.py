"""Faults injected into the fake Slack's answers: errors (HTTP 429 with ``Retry-After``,
5xx, or a 200 with ``ok: false``) for the next calls to a method, and slow answers."""

from __future__ import annotations

import threading
from collections import deque
from dataclasses import dataclass

EVERY_METHOD = "*"


@dataclass(frozen=True)
class Fault:
    error: str
    status: int
    retry_after: int


class Faults:
    """Pending faults and delays per Web API method, guarded by the fake's ``lock``."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self._faults: dict[str, deque[Fault]] = {}
        self._delays: dict[str, float] = {}

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with ``{"ok": false, "error": error}``.

        ``status`` defaults to 429 for ``ratelimited`` (sent with a ``Retry-After:
        retry_after`` header) and 200 otherwise; pass e.g. ``status=500`` for server errors.
        """
        fault = Fault(error, status or (429 if error == "ratelimited" else 200), retry_after)
        with self._lock:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def delay(self, method: str, seconds: float) -> None:
        """Answer every later call to ``method`` (``"*"``: to any method not given its own
        delay) after ``seconds`` (0 to stop)."""
        with self._lock:
            self._delays[method] = seconds

    def delay_of(self, method: str) -> float:
        with self._lock:
            return self._delays.get(method, self._delays.get(EVERY_METHOD, 0.0))

    def take(self, method: str) -> Fault | None:
        """The next pending fault for ``method``, now used up; None when there is none."""
        with self._lock:
            pending = self._faults.get(method)
            return pending.popleft() if pending else None

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()
            self._delays.clear()
