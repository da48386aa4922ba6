"""Who may change an action: its owner, or whoever the permission table lets change anyone's."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.actions import ActionItem
from bot.core.errors import Refusal
from bot.core.permissions import Operation, who_can
from bot.improvement_actions.rules import may_manage
from bot.review_access import channel_review
from bot.slack.text import mention
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.repositories.improvement_actions import action_by_number, get_action, item_of
from storage.repositories.reviews import roles_of

GONE = "That action no longer exists."


def not_allowed(item: ActionItem) -> str:
    return (
        f"Only the action's owner ({mention(item.owner_id)}) or the review's "
        f"{who_can(Operation.MANAGE_ANY_ACTION)} can change action {item.number}."
    )


@dataclass(frozen=True)
class ActionChange:
    """What became of a request to change an action: `problem` is for the user, if any."""

    item: ActionItem | None
    problem: str | None = None
    team_id: str = ""


def managed(
    session: Session, *, action_id: int, user_id: str
) -> tuple[Action | None, Review | None, ActionChange]:
    """Load an action for a change; the ActionChange names the problem if the user may not."""
    action = get_action(session=session, action_id=action_id)
    review = session.get(Review, action.review_id) if action else None
    if action is None or review is None:
        return None, None, ActionChange(None, GONE)
    item = item_of(action)
    if review.closed_at is not None:
        return (
            None,
            None,
            ActionChange(item, "That review is closed, so its actions can't be changed."),
        )
    if not may_manage(user_id, owner_id=item.owner_id, roles=roles_of(review, user_id)):
        return None, None, ActionChange(item, not_allowed(item))
    return action, review, ActionChange(item, team_id=review.team_id)


def numbered_action(session: Session, *, channel_id: str, number: int) -> Action:
    """Action `number` of the channel's open review, as people see it numbered."""
    review = channel_review(session, channel_id=channel_id)
    action = action_by_number(session=session, review_id=review.id, number=number)
    if action is None:
        raise Refusal(f"This review has no action {number}. `/action list all` shows every action.")
    return action
