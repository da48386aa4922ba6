"""Nudges as outbox items: the pass owes them in the transaction that claims them, and the
outbox worker posts them (waiting out Retry-After, backing off on 5xx and timeouts).

Exactly once: a nudge row moves from pending to sent in the same transaction that writes
its outbox item, so a pass that dies writes neither, and two passes can't both claim it;
the outbox then delivers each item once (looking in the channel first after a timeout).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.nudges import CHANNEL, OpenReview, SkipReason
from bot.reminders.views import build_channel_unreachable
from bot.slack.blocks import Message
from bot.slack.calls import CHANNEL_UNREACHABLE
from bot.slack.outbox import (
    OUTBOX_EVENT,
    Delivery,
    Kind,
    find_posted,
    owe_direct_message,
    wall_clock,
)
from storage.db import transaction
from storage.repositories import nudges as ledger
from storage.repositories import reminders

NUDGE = "nudge"


@dataclass(frozen=True)
class NudgePost:
    """One message delivering nudges of a review: to its channel (recipient CHANNEL) or to
    a person."""

    review: OpenReview
    recipient: str
    message: Message
    nudge_ids: Sequence[int]


def owe_nudges(session: Session, posts: Sequence[NudgePost]) -> None:
    """Owe the posts to the outbox together, in the caller's transaction."""
    owed = []
    for post in posts:
        review = post.review
        target = review.channel_id if post.recipient == CHANNEL else post.recipient
        payload = {
            "channel": target,
            "to_channel": post.recipient == CHANNEL,
            "review_id": review.id,
            "host_council": review.host_council,
            "nudge_ids": list(post.nudge_ids),
            "text": post.message.text,
            "blocks": post.message.blocks,
        }
        owed.append(
            ledger.OwedPost(team_id=review.team_id, kind=NUDGE, lane=target, payload=payload)
        )
    # Delivery times are wall-clock, like every outbox item's: they are about Slack.
    ledger.owe_posts(session=session, posts=owed, now=wall_clock())


def deliver_nudge(delivery: Delivery) -> None:
    payload = delivery.payload
    channel = str(payload["channel"])
    nudge_ids = [int(nudge_id) for nudge_id in payload["nudge_ids"]]
    ts = None
    if delivery.may_have_reached_slack:
        ts = find_posted(
            delivery.client,
            channel=channel,
            event_type=OUTBOX_EVENT,
            key="item",
            value=delivery.item_id,
        )
    try:
        if ts is None:
            response = delivery.client.chat_postMessage(
                channel=channel,
                text=str(payload["text"]),
                blocks=payload.get("blocks"),
                metadata={"event_type": OUTBOX_EVENT, "event_payload": {"item": delivery.item_id}},
                unfurl_links=False,
                unfurl_media=False,
            )
            ts = str(response["ts"])
    except SlackApiError as error:
        status = error.response.status_code
        code = str(error.response.get("error", f"http_{status}"))
        if status != 429 and status < 500 and code != "ratelimited":
            _refused(delivery, nudge_ids, code)
        raise  # the outbox retries what may still go through, and records the rest
    with transaction(delivery.deps.sessions) as session:
        ledger.record_posted(session=session, nudge_ids=nudge_ids, ts=ts)


NUDGE_KIND = Kind(NUDGE, deliver_nudge)


def _refused(delivery: Delivery, nudge_ids: list[int], code: str) -> None:
    """Slack will never take this post: record why, and if the channel itself is out of
    reach, stop its other channel nudges and tell the leads once."""
    payload = delivery.payload
    review_id = int(payload["review_id"])
    unreachable = bool(payload.get("to_channel")) and code in CHANNEL_UNREACHABLE
    with transaction(delivery.deps.sessions) as session:
        ledger.record_failed(session=session, nudge_ids=nudge_ids, error=code)
        if not unreachable:
            return
        ledger.skip_pending_channel_nudges(
            session=session, review_id=review_id, reason=SkipReason.CHANNEL_UNREACHABLE
        )
        if not reminders.mark_channel_unreachable(
            session=session, review_id=review_id, error=code, now=delivery.deps.now()
        ):
            return
        notice = build_channel_unreachable(
            channel_id=str(payload["channel"]),
            host_council=str(payload["host_council"]),
            error=code,
        )
        for lead in reminders.leads_to_tell(session=session, review_id=review_id):
            owe_direct_message(
                session,
                team_id=delivery.team_id,
                user_id=lead,
                text=notice.text,
                blocks=notice.blocks,
            )
