"""Cross-cutting request handling."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse

from bot.deps import Deps
from storage.db import transaction
from storage.repositories.outbox import mark_applied


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def skip_redelivered_events(
        body: dict[str, Any], next: Callable[[], None], logger: logging.Logger
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks we missed, sometimes while the first delivery
        is still running: each event id is claimed before it runs, so it runs once."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            with transaction(deps.sessions) as session:
                first = mark_applied(session=session, key=f"event:{event_id}", now=deps.now())
            if not first:
                logger.info("skipping redelivered event %s", event_id)
                return BoltResponse(status=200, body="")
        next()
        return None
