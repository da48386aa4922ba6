"""Cross-cutting request handling."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App, BoltResponse
from sqlalchemy.exc import IntegrityError

from bot.deps import Deps
from storage.db import transaction
from storage.models import ProcessedEvent


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def skip_redelivered_events(
        body: dict[str, Any], next: Callable[[], BoltResponse], logger: logging.Logger
    ) -> BoltResponse | None:
        """Slack redelivers an event it thinks we missed; handle each event_id once."""
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        if event_id:
            try:
                with transaction(deps.sessions) as session:
                    session.add(ProcessedEvent(event_id=event_id, received_at=deps.now()))
            except IntegrityError:
                logger.info("skipping redelivered event %s", event_id)
                return BoltResponse(status=200, body="")
        return next()
