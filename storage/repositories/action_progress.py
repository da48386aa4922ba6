"""How an action has got on: the history of its status changes, and its progress updates
(notes and RAG statuses, with who gave them and when)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.actions import ActionStatus, ProgressUpdate, RagStatus, StatusChange
from storage.models.improvement_actions import Action, ActionProgressUpdate, ActionStatusChange
from storage.repositories.improvement_actions import audit_action


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


def record_progress(
    *,
    session: Session,
    action: Action,
    author_id: str,
    note: str,
    rag: RagStatus | None,
    now: datetime,
) -> None:
    """Keep a progress update; a RAG status given with it becomes the action's own."""
    if rag is not None:
        action.rag = rag.value
    action.updated_at = now
    session.add(
        ActionProgressUpdate(
            action_id=action.id,
            author_id=author_id,
            note=note,
            rag=rag.value if rag else None,
            at=now,
        )
    )
    session.flush()
    audit_action(
        session,
        action,
        author_id,
        "action.progress",
        {"rag": rag.value if rag else None, "noted": bool(note)},
        now,
    )


def _update(row: ActionProgressUpdate) -> ProgressUpdate:
    return ProgressUpdate(
        author_id=row.author_id,
        at=row.at,
        note=row.note,
        rag=RagStatus(row.rag) if row.rag else None,
    )


def progress_updates(*, session: Session, action_id: int) -> list[ProgressUpdate]:
    """The action's progress updates, oldest first."""
    rows = session.scalars(
        select(ActionProgressUpdate)
        .where(ActionProgressUpdate.action_id == action_id)
        .order_by(ActionProgressUpdate.id)
    )
    return [_update(row) for row in rows]


def latest_progress_note(*, session: Session, action_id: int) -> ProgressUpdate | None:
    """The action's most recent update that has a note, for its card."""
    row = session.scalars(
        select(ActionProgressUpdate)
        .where(ActionProgressUpdate.action_id == action_id, ActionProgressUpdate.note != "")
        .order_by(ActionProgressUpdate.id.desc())
        .limit(1)
    ).first()
    return _update(row) if row else None


def review_progress_notes(*, session: Session, review_id: int) -> dict[int, list[ProgressUpdate]]:
    """The progress notes of the review's actions, keyed by action number, oldest first;
    updates that only set a RAG status are left out."""
    rows = session.execute(
        select(Action.number, ActionProgressUpdate)
        .join(Action, Action.id == ActionProgressUpdate.action_id)
        .where(Action.review_id == review_id, ActionProgressUpdate.note != "")
        .order_by(Action.number, ActionProgressUpdate.id)
    ).all()
    notes: dict[int, list[ProgressUpdate]] = {}
    for number, row in rows:
        notes.setdefault(number, []).append(_update(row))
    return notes
