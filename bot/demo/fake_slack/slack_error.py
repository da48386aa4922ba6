"""The errors Slack's Web API answers with: `SlackError` carries the
``{"ok": false, "error": ...}`` body a method answers, `invalid` the shape of a malformed
payload's answer."""

from __future__ import annotations

from typing import Any


class SlackError(Exception):
    """A Web API method's failure, answered as ``{"ok": false, "error": error, **extra}``."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.body: dict[str, Any] = {"ok": False, "error": error, **extra}


def invalid(errors: list[str], error: str = "invalid_arguments") -> SlackError:
    """Slack's answer to a malformed payload, listing each problem."""
    messages = [f"[ERROR] {e}" for e in errors]
    if error == "invalid_blocks":
        return SlackError(error, errors=errors, response_metadata={"messages": messages})
    return SlackError(error, response_metadata={"messages": messages})
