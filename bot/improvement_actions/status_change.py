"""Moving an action between open, in progress, done and dropped."""

from __future__ import annotations

from bot.core.actions import STATUS_LABELS, ActionStatus
from bot.core.errors import Refusal
from bot.deps import Deps
from bot.home.service import owe_homes
from bot.improvement_actions.access import GONE, ActionChange, managed, numbered_action
from bot.improvement_actions.card import owe_card
from bot.improvement_actions.rules import can_move
from storage.db import transaction
from storage.repositories.improvement_actions import change_status, item_of

ALREADY = {
    ActionStatus.OPEN: "is already open",
    ActionStatus.IN_PROGRESS: "is already in progress",
    ActionStatus.DONE: "is already done",
    ActionStatus.DROPPED: "has already been dropped",
}


def apply_status(
    deps: Deps, *, action_id: int, target: ActionStatus, user_id: str, reason: str = ""
) -> ActionChange:
    """Move an action to `target` if the user may and the move makes sense; its card and the
    Home tabs concerned follow."""
    with transaction(deps.sessions) as session:
        action, review, checked = managed(session, action_id=action_id, user_id=user_id)
        item = checked.item
        if action is None or review is None or item is None:
            return checked
        if item.status is target:
            return ActionChange(item, f"Action {item.number} {ALREADY[target]}.")
        if not can_move(item.status, target):
            return ActionChange(
                item,
                f"Action {item.number} is {STATUS_LABELS[item.status].lower()}; reopen it "
                "first (the ⋯ menu on its card).",
            )
        moved = change_status(
            session=session,
            action=action,
            expected=item.status,
            target=target,
            actor_id=user_id,
            now=deps.now(),
            reason=reason,
        )
        if not moved:
            return ActionChange(
                item, f"Someone changed action {item.number} at the same moment; try again."
            )
        owe_card(session, review=review, action=action)
        owe_homes(session, team_id=review.team_id, users=(user_id, action.owner_id))
        return ActionChange(item_of(action), team_id=review.team_id)


def mark_done(deps: Deps, *, channel_id: str, user_id: str, number: int) -> str:
    """`/action done 3`: mark the channel review's action 3 done, as its card's button does."""
    with transaction(deps.sessions) as session:
        action_id = numbered_action(session, channel_id=channel_id, number=number).id
    outcome = apply_status(deps, action_id=action_id, target=ActionStatus.DONE, user_id=user_id)
    if outcome.problem or outcome.item is None:
        raise Refusal(outcome.problem or GONE)
    return f"✅ Action {number} is marked done. Its card in the channel is updated."
