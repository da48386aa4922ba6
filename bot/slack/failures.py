"""A Slack call that failed: whether the outbox should retry it (rate-limited, transient, or
not worth retrying), and whether Slack was out of reach — said so (at start, in the log, to
the person) rather than reported as an error of ours."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from urllib.error import URLError

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

logger = logging.getLogger(__name__)
_QUIET = logging.getLogger(f"{__name__}.start")
_QUIET.setLevel(logging.CRITICAL)

START_TIMEOUT_SECONDS = 5
CANT_REACH_SLACK = (
    "I couldn't reach Slack just now, so that last step didn't go through. Please try again "
    "in a few minutes; if it keeps happening, tell whoever looks after the PSIF bot that it "
    "can't reach Slack."
)


def why_unreachable(error: BaseException) -> str | None:
    """The reason, if `error` is Slack being out of reach rather than Slack answering."""
    if isinstance(error, URLError):
        return str(error.reason)
    if isinstance(error, (ConnectionError, TimeoutError)):
        return str(error) or type(error).__name__
    return None


def unreachable_line(api_url: str, reason: str) -> str:
    return f"Slack can't be reached at {api_url} ({reason}): check the network, proxy or firewall."


def check_at_start(api_url: str) -> str | None:
    """Why Slack can't be reached, by one api.test call (no token); None when it answers."""
    # Without retries, and logged once by the caller, not also by slack_sdk.
    client = WebClient(
        base_url=api_url, timeout=START_TIMEOUT_SECONDS, logger=_QUIET, retry_handlers=[]
    )
    try:
        client.api_test()
    except SlackApiError:
        return None  # Slack answered
    except Exception as error:
        reason = why_unreachable(error)
        if reason is None:
            raise
        return unreachable_line(api_url, reason)
    return None


def answer_if_unreachable(error: BaseException, api_url: str) -> str | None:
    """What to tell the person if Slack couldn't be reached (logged); else None."""
    reason = why_unreachable(error)
    if reason is None:
        return None
    logger.warning(unreachable_line(api_url, reason))
    return CANT_REACH_SLACK


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
