"""An action's card in the review's channel: owed after every saved change, posted the
first time and updated in place after that."""

from __future__ import annotations

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.improvement_actions.views import build_action_card
from bot.slack.calls import slack_error
from bot.slack.outbox import OUTBOX_EVENT, Delivery, Kind, find_posted
from storage.db import transaction
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.repositories.action_edits import set_card
from storage.repositories.action_progress import latest_progress_note
from storage.repositories.improvement_actions import get_action, item_of

ACTION_CARD = "action_card"
# The card couldn't be updated in place (deleted, say): post a fresh one instead.
CARD_GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})


def owe_card(
    session: Session,
    *,
    review: Review,
    action: Action,
    if_undelivered: dict[str, str | None] | None = None,
) -> None:
    """Owe the action's card: posted in the review's channel the first time, then updated
    in place. Pending refreshes of one card coalesce; each shows the state when sent."""
    ACTION_CARD_KIND.owe(
        session,
        team_id=review.team_id,
        lane=f"{ACTION_CARD}:{action.id}",
        payload={
            "action_id": action.id,
            "channel": action.channel_id or review.channel_id,
            "if_undelivered": if_undelivered,
        },
        key=f"{ACTION_CARD}:{action.id}",
    )


def deliver_card(delivery: Delivery) -> None:
    deps = delivery.deps
    action_id = int(delivery.payload["action_id"])
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        current = item_of(action) if action else None
        latest_note = latest_progress_note(session=session, action_id=action_id)
    if current is None:
        return  # the action is gone: nothing to show
    text, blocks = build_action_card(current, zone=deps.settings.timezone, latest_note=latest_note)
    if current.channel_id and current.message_ts:
        try:
            delivery.client.chat_update(
                channel=current.channel_id, ts=current.message_ts, text=text, blocks=blocks
            )
            return
        except SlackApiError as error:
            if slack_error(error) not in CARD_GONE:
                raise
    channel = current.channel_id or str(delivery.payload["channel"])
    ts = None
    if delivery.may_have_reached_slack:
        ts = find_posted(
            delivery.client,
            channel=channel,
            event_type=OUTBOX_EVENT,
            key="item",
            value=delivery.item_id,
        )
    if ts is None:
        response = delivery.client.chat_postMessage(
            channel=channel,
            text=text,
            blocks=blocks,
            metadata={"event_type": OUTBOX_EVENT, "event_payload": {"item": delivery.item_id}},
            unfurl_links=False,
            unfurl_media=False,
        )
        ts = str(response["ts"])
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        if action is not None:
            set_card(session=session, action=action, channel_id=channel, message_ts=ts)


ACTION_CARD_KIND = Kind(ACTION_CARD, deliver_card)
