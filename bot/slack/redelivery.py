"""Slack delivers an event again when it thinks we missed it: the first delivery of each
event id is recorded in the database (shared by every worker), so only it is handled."""

from __future__ import annotations

from bot.deps import Deps
from storage.db import transaction
from storage.repositories.outbox import mark_applied


def first_delivery_of_event(deps: Deps, event_id: str) -> bool:
    """True the first time `event_id` arrives, in any worker; False for a redelivery."""
    with transaction(deps.sessions) as session:
        return mark_applied(session=session, key=f"event:{event_id}", now=deps.now())
