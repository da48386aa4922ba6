"""What the fake Slack answered: every Web API call and every POST to a response_url, and
ways to wait for them (Bolt answers after ``ack()``, so the Web API calls usually arrive a
little later, on another thread)."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

_T = TypeVar("_T")


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake received and answered it."""

    method: str
    args: dict[str, Any]  # JSON-string fields (blocks, view, attachments, files…) decoded
    token: str | None
    timestamp: float  # time.time() when answered
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a ``response_url`` issued by :meth:`FakeSlack.new_response_url`."""

    url_id: str
    body: dict[str, Any]
    status: int  # 200, or 404 when the URL was unknown, used up or expired
    timestamp: float


class CallLog:
    """The calls and response_url posts recorded so far, guarded by the fake's ``lock``."""

    def __init__(self, lock: threading.RLock) -> None:
        self._lock = lock
        self.calls: list[Call] = []
        self.responses: list[ResponsePost] = []

    def clear(self) -> None:
        with self._lock:
            self.calls.clear()
            self.responses.clear()

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def last(self, method: str) -> Call:
        calls = self.calls_to(method)
        if not calls:
            raise AssertionError(f"no call to {method}; calls: {self._called_methods()}")
        return calls[-1]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[Call]:
        """Poll until ``method`` was called at least ``count`` times; return all its calls."""
        return self._poll(lambda: self.calls_to(method), count, timeout, f"call(s) to {method}")

    def wait_for_responses(self, count: int = 1, timeout: float = 15.0) -> list[ResponsePost]:
        """Poll until at least ``count`` POSTs reached response URLs; return them all."""

        def posts() -> list[ResponsePost]:
            with self._lock:
                return list(self.responses)

        return self._poll(posts, count, timeout, "response_url post(s)")

    def _poll(self, get: Callable[[], list[_T]], count: int, timeout: float, what: str) -> list[_T]:
        deadline = time.monotonic() + timeout
        while True:
            found = get()
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} {what} within {timeout}s, got {len(found)}; "
                    f"calls: {self._called_methods()}"
                )
            time.sleep(0.005)

    def _called_methods(self) -> list[str]:
        with self._lock:
            return [call.method for call in self.calls]
