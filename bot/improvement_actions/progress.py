"""Recording progress on an action: a note with its date and author, and a RAG status."""

from __future__ import annotations

from bot.core.actions import RagStatus, rag_text
from bot.core.errors import Refusal
from bot.deps import Deps
from bot.home.service import owe_homes
from bot.improvement_actions.access import GONE, ActionChange, managed, numbered_action
from bot.improvement_actions.action_form import note_problem
from bot.improvement_actions.card import owe_card
from bot.improvement_actions.rules import ProgressWords
from storage.db import transaction
from storage.repositories.action_progress import record_progress
from storage.repositories.improvement_actions import item_of
from storage.repositories.requests import mark_applied

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


def note_progress(deps: Deps, *, channel_id: str, user_id: str, words: ProgressWords) -> str:
    """`/action progress 3 amber Waiting for the quote`: the note and/or RAG status on the
    channel review's action 3, checked against who may change it before what was typed."""
    with transaction(deps.sessions) as session:
        action = numbered_action(session, channel_id=channel_id, number=words.number)
        _, _, checked = managed(session, action_id=action.id, user_id=user_id)
        if checked.problem:
            raise Refusal(checked.problem)
        action_id = action.id
    problem = note_problem(words.note)
    if problem:
        raise Refusal(problem)
    change = update_progress(
        deps, action_id=action_id, user_id=user_id, note=words.note, rag=words.rag
    )
    if change.problem or change.item is None:
        raise Refusal(change.problem or GONE)
    rag = f"Action {words.number} is now {rag_text(change.item.rag)}"
    if words.rag and words.note:
        saved = f"{rag}, and your note is saved."
    elif words.rag:
        saved = f"{rag}."
    else:
        saved = f"Your note on action {words.number} is saved."
    return f"📝 {saved} Its card in the channel is updated."
