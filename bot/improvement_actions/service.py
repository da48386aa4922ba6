"""Steps shared by every way of changing an action: slash commands, card buttons, the Home tab.

Each step loads and checks in one transaction, then talks to Slack after it commits.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable
from dataclasses import dataclass

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.home.service import publish_home
from bot.improvement_actions.rules import (
    STATUS_LABELS,
    ActionItem,
    ActionStatus,
    can_move,
    may_manage,
)
from bot.improvement_actions.views import build_action_card
from bot.reviews.permissions import Operation, who_can
from bot.slack.calls import direct_message, post_to_channel, slack_error
from bot.slack.text import mention
from storage.db import transaction
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.repositories.improvement_actions import change_status, get_action, item_of, set_card
from storage.repositories.reviews import roles_of

logger = logging.getLogger(__name__)

CARD_LOCKS_KEY = "action_card_locks"
_card_locks_guard = threading.Lock()

ALREADY = {
    ActionStatus.OPEN: "is already open",
    ActionStatus.IN_PROGRESS: "is already in progress",
    ActionStatus.DONE: "is already done",
    ActionStatus.DROPPED: "has already been dropped",
}


def not_allowed(item: ActionItem) -> str:
    return (
        f"Only the action's owner ({mention(item.owner_id)}) or the review's "
        f"{who_can(Operation.MANAGE_ANY_ACTION)} can change action {item.number}."
    )


@dataclass(frozen=True)
class Outcome:
    """What became of a request to change an action: `problem` is for the user, if any."""

    item: ActionItem | None
    problem: str | None = None
    team_id: str = ""


def _managed(session: Session, *, action_id: int, user_id: str) -> tuple[Action | None, Outcome]:
    """Load an action for a change; the Outcome names the problem if the user may not."""
    action = get_action(session=session, action_id=action_id)
    review = session.get(Review, action.review_id) if action else None
    if action is None or review is None:
        return None, Outcome(None, "That action no longer exists.")
    item = item_of(action)
    if review.closed_at is not None:
        return None, Outcome(item, "That review is closed, so its actions can't be changed.")
    if not may_manage(user_id, owner_id=item.owner_id, roles=roles_of(review, user_id)):
        return None, Outcome(item, not_allowed(item))
    return action, Outcome(item, team_id=review.team_id)


def check_may_manage(deps: Deps, *, action_id: int, user_id: str) -> Outcome:
    """The action if `user_id` may change it; otherwise the reason they can't."""
    with transaction(deps.sessions) as session:
        return _managed(session, action_id=action_id, user_id=user_id)[1]


def apply_status(
    deps: Deps, *, action_id: int, target: ActionStatus, user_id: str, reason: str = ""
) -> Outcome:
    """Move an action to `target` if the user may and the move makes sense."""
    with transaction(deps.sessions) as session:
        action, checked = _managed(session, action_id=action_id, user_id=user_id)
        item = checked.item
        if action is None or item is None:
            return checked
        if item.status is target:
            return Outcome(item, f"Action {item.number} {ALREADY[target]}.")
        if not can_move(item.status, target):
            return Outcome(
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
            return Outcome(
                item, f"Someone changed action {item.number} at the same moment; try again."
            )
        return Outcome(item_of(action), team_id=checked.team_id)


def _card_lock(deps: Deps, action_id: int) -> threading.Lock:
    """One card write per action at a time, each reading the latest state: a slow update
    (Slack's Retry-After) can then never land after, and undo, a later one."""
    with _card_locks_guard:
        locks = deps.process_helpers.setdefault(CARD_LOCKS_KEY, {})
        assert isinstance(locks, dict)
        lock: threading.Lock = locks.setdefault(action_id, threading.Lock())
        return lock


def _current(deps: Deps, action_id: int) -> ActionItem | None:
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        return item_of(action) if action else None


def post_card(client: WebClient, deps: Deps, *, item: ActionItem, channel_id: str) -> str | None:
    """Post the action's card and remember where; return Slack's error if it couldn't."""
    with _card_lock(deps, item.id):
        current = _current(deps, item.id) or item
        text, blocks = build_action_card(current, zone=deps.settings.timezone)
        ts, error = post_to_channel(client, channel=channel_id, text=text, blocks=blocks)
        if ts is None:
            return error
        with transaction(deps.sessions) as session:
            action = get_action(session=session, action_id=item.id)
            if action is not None:
                set_card(session=session, action=action, channel_id=channel_id, message_ts=ts)
    return None


def refresh_card(client: WebClient, deps: Deps, *, item: ActionItem) -> None:
    """Update the action's card in place (its stored channel and ts), if it has one."""
    with _card_lock(deps, item.id):
        current = _current(deps, item.id)
        if current is None or not current.channel_id or not current.message_ts:
            return
        text, blocks = build_action_card(current, zone=deps.settings.timezone)
        try:
            client.chat_update(
                channel=current.channel_id, ts=current.message_ts, text=text, blocks=blocks
            )
        except SlackApiError as error:
            # A deleted card or an archived channel must not undo a change already saved.
            logger.info("could not update the card of action %s: %s", item.id, slack_error(error))


def refresh_homes(client: WebClient, deps: Deps, *, team_id: str, users: Iterable[str]) -> None:
    """Republish the Home tab of everyone whose picture just changed."""
    for user_id in dict.fromkeys(users):
        try:
            publish_home(client, deps, user_id=user_id, team_id=team_id)
        except SlackApiError as error:
            logger.info("could not refresh the Home tab of %s: %s", user_id, slack_error(error))


def after_change(client: WebClient, deps: Deps, *, outcome: Outcome, actor_id: str) -> None:
    """Show a saved change everywhere: the card in place and the Home tabs concerned."""
    item = outcome.item
    assert item is not None and outcome.problem is None
    refresh_card(client, deps, item=item)
    refresh_homes(client, deps, team_id=outcome.team_id, users=(actor_id, item.owner_id))


def tell(client: WebClient, *, user_id: str, response_url: str | None, text: str) -> None:
    """Answer where the user acted: ephemerally via response_url, or by DM when there is none
    (the Home tab) or it has expired (after 30 minutes or 5 uses)."""
    if response_url:
        response = WebhookClient(response_url).send(
            text=text, response_type="ephemeral", replace_original=False
        )
        if response.status_code == 200:
            return
        logger.info("response_url no longer usable (%s); sending a DM", response.status_code)
    direct_message(client, user=user_id, text=text)
