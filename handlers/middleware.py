"""Cross-cutting request handling."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltRequest, BoltResponse

from bot.deps import Deps
from bot.slack.redelivery import first_delivery_of_event


def without_nul_characters(node: Any) -> Any:
    """The payload with NUL characters removed from every string, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            node[key] = without_nul_characters(value)
    elif isinstance(node, list):
        node[:] = [without_nul_characters(value) for value in node]
    elif isinstance(node, str) and "\x00" in node:
        return node.replace("\x00", "")
    return node


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def drop_nul_characters(body: dict[str, Any], next: Callable[[], None]) -> None:
        """No one types a NUL, and PostgreSQL can't store one: a payload holding one is
        read without it, so every listener sees text the database accepts."""
        without_nul_characters(body)
        next()

    @app.middleware
    def skip_redelivered_events(
        body: dict[str, Any],
        request: BoltRequest,
        next: Callable[[], None],
        logger: logging.Logger,
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks we missed (a new signature, the same
        event_id): skip ones already handled, and ones redelivered only because we were
        slow to answer, which are still being handled."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id and request.headers.get("x-slack-retry-reason", [""])[0] == "http_timeout":
            logger.info("skipping event %s, redelivered while still being handled", event_id)
            return BoltResponse(status=200, body="")
        if event_id and not first_delivery_of_event(deps, event_id):
            logger.info("skipping redelivered event %s", event_id)
            return BoltResponse(status=200, body="")
        next()
        return None
