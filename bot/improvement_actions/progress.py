"""Recording progress on an action: a note with its date and author, and a RAG status."""

from __future__ import annotations

from bot.deps import Deps
from bot.home.service import owe_homes
from bot.improvement_actions.access import ActionChange, managed
from bot.improvement_actions.card import owe_card
from bot.improvement_actions.rules import RagStatus
from storage.db import transaction
from storage.repositories.action_progress import record_progress
from storage.repositories.improvement_actions import item_of
from storage.repositories.outbox import mark_applied

NOTHING_NEW = "Write a progress note, or choose a different RAG status."


def update_progress(
    deps: Deps,
    *,
    action_id: int,
    user_id: str,
    note: str,
    rag: RagStatus | None,
    request_key: str | None = None,
) -> ActionChange:
    """Keep a progress note and/or a new RAG status, if the user may change the action;
    its card and the Home tabs concerned follow. The same submission twice saves once."""
    with transaction(deps.sessions) as session:
        action, review, checked = managed(session, action_id=action_id, user_id=user_id)
        if action is None or review is None:
            return checked
        new_rag = rag if rag is not None and rag.value != action.rag else None
        if not note and new_rag is None:
            return ActionChange(checked.item, NOTHING_NEW)
        if request_key and not mark_applied(
            session=session, key=f"action.progress:{request_key}", now=deps.now()
        ):
            return checked  # this very submission was saved already
        record_progress(
            session=session,
            action=action,
            author_id=user_id,
            note=note,
            rag=new_rag,
            now=deps.now(),
        )
        owe_card(session, review=review, action=action)
        owe_homes(session, team_id=review.team_id, users=(user_id, action.owner_id))
        return ActionChange(item_of(action), team_id=review.team_id)
