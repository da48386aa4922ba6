"""How an action has got on: the history of its status changes."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.improvement_actions.rules import ActionStatus, StatusChange
from storage.models.improvement_actions import ActionStatusChange


def status_history(*, session: Session, action_id: int) -> list[StatusChange]:
    rows = session.scalars(
        select(ActionStatusChange)
        .where(ActionStatusChange.action_id == action_id)
        .order_by(ActionStatusChange.id)
    )
    return [
        StatusChange(
            row.actor_id,
            ActionStatus(row.from_status),
            ActionStatus(row.to_status),
            row.at,
            row.reason,
        )
        for row in rows
    ]
