"""Changes to a logged action's details, and where its card is."""

from __future__ import annotations

from dataclasses import asdict
from datetime import datetime

from sqlalchemy.orm import Session

from storage.models.improvement_actions import Action
from storage.repositories.improvement_actions import ActionFields, audit_action


def edit_action(
    *, session: Session, action: Action, fields: ActionFields, actor_id: str, now: datetime
) -> list[str]:
    """Apply the edited fields; return the names of those that changed (audited)."""
    changed = [name for name, value in asdict(fields).items() if getattr(action, name) != value]
    if not changed:
        return []
    for name in changed:
        setattr(action, name, getattr(fields, name))
    action.updated_at = now
    session.flush()
    session.refresh(action)
    audit_action(session, action, actor_id, "action.edited", {"fields": changed}, now)
    return changed


def set_card(*, session: Session, action: Action, channel_id: str, message_ts: str) -> None:
    """Remember where the action's card is, for updating it in place."""
    action.channel_id = channel_id
    action.message_ts = message_ts
    session.flush()
