"""A failed Slack call for the outbox: rate-limited, transient, or not worth retrying."""

from __future__ import annotations

from dataclasses import dataclass

from slack_sdk.errors import SlackApiError

TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout", "ratelimited"}
)


@dataclass(frozen=True)
class Failure:
    code: str
    retry_after: float | None = None  # seconds Slack asked us to wait
    transient: bool = True


def classify(error: Exception) -> Failure:
    if isinstance(error, SlackApiError):
        status = error.response.status_code
        code = str(error.response.get("error", f"http_{status}"))
        if status == 429:
            headers = {name.lower(): value for name, value in error.response.headers.items()}
            try:
                wait = float(headers.get("retry-after", 1))
            except ValueError:
                wait = 1.0
            return Failure("ratelimited", retry_after=wait)
        if status >= 500 or code in TRANSIENT_ERRORS:
            return Failure(f"http_{status}" if status >= 500 else code)
        return Failure(code, transient=False)
    if isinstance(error, TimeoutError):
        return Failure("timeout")
    if isinstance(error, OSError):  # URLError, refused connections, resets
        return Failure("network")
    return Failure(type(error).__name__, transient=False)
