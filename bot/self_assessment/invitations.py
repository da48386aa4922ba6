"""Invitation DMs: owed through the outbox with the invitation, remembered where they land,
and changed in place to "Done" once their person has finished.

Marking the DM done is a direct call at the moment of finishing, deliberately not an outbox
item: an outbox row written then would record, beside the person's DM, when they finished
(and on PostgreSQL sit next to the transaction that saved their answers). The DM is only a
convenience — Start on an old one opens the review screen anyway — so nothing is lost if
Slack misses the update.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.review_access import get_review
from bot.self_assessment.invitation_views import build_invitation_done
from bot.slack.outbox import OUTBOX_EVENT, Delivery, Kind, find_posted
from storage.db import transaction
from storage.repositories.invitation_messages import (
    invitation_message,
    remember_invitation_message,
)
from storage.repositories.self_assessment import get_round

logger = logging.getLogger(__name__)

INVITATION = "checklist_invitation"


def owe_invitation(
    session: Session,
    *,
    team_id: str,
    review_id: int,
    user_id: str,
    text: str,
    blocks: list[dict[str, Any]],
    if_undelivered: dict[str, Any],
) -> None:
    """Owe the user their invitation DM; where it lands is remembered on delivery."""
    INVITATION_KIND.owe(
        session,
        team_id=team_id,
        lane=user_id,
        payload={
            "channel": user_id,
            "review_id": review_id,
            "text": text,
            "blocks": blocks,
            "if_undelivered": if_undelivered,
        },
    )


def deliver_invitation(delivery: Delivery) -> None:
    payload, client = delivery.payload, delivery.client
    user_id = str(payload["channel"])
    sent = _already_posted(delivery, user_id) if delivery.may_have_reached_slack else None
    if sent is None:
        response = client.chat_postMessage(
            channel=user_id,
            text=str(payload["text"]),
            blocks=payload.get("blocks"),
            metadata={"event_type": OUTBOX_EVENT, "event_payload": {"item": delivery.item_id}},
            unfurl_links=False,
            unfurl_media=False,
        )
        sent = (str(response["channel"]), str(response["ts"]))
    with transaction(delivery.deps.sessions) as session:
        remember_invitation_message(
            session=session,
            review_id=int(payload["review_id"]),
            user_id=user_id,
            channel_id=sent[0],
            ts=sent[1],
        )


INVITATION_KIND = Kind(INVITATION, deliver_invitation)


def _already_posted(delivery: Delivery, user_id: str) -> tuple[str, str] | None:
    """(DM channel, ts) of an earlier attempt that did reach Slack, if it can be found."""
    try:
        channel = str(delivery.client.conversations_open(users=user_id)["channel"]["id"])
    except SlackApiError:
        return None
    ts = find_posted(
        delivery.client,
        channel=channel,
        event_type=OUTBOX_EVENT,
        key="item",
        value=delivery.item_id,
    )
    return None if ts is None else (channel, ts)


def mark_invitation_done(client: WebClient, deps: Deps, *, review_id: int, user_id: str) -> None:
    """Change the user's invitation DM to "Done — review your answers", if they had one.

    Reads only: nothing is written when someone finishes (see the module docstring).
    """
    with transaction(deps.sessions) as session:
        found = invitation_message(session=session, review_id=review_id, user_id=user_id)
        review = get_review(session=session, review_id=review_id)
        round_ = get_round(session=session, review_id=review_id)
        if found is None or review is None or round_ is None:
            return
        text, blocks = build_invitation_done(
            review_id=review_id, host_council=review.host_council, closes_on=round_.closes_on
        )
    channel_id, ts = found
    try:
        client.chat_update(channel=channel_id, ts=ts, text=text, blocks=blocks)
    except SlackApiError as error:
        logger.warning("could not mark an invitation done: %s", error.response.get("error"))
