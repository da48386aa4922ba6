"""The outbox's generic kinds: a channel message, an update in place, a direct message, and
an answer to the person who acted (their response_url, else a DM)."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient
from sqlalchemy.orm import Session

from bot.slack.calls import (
    CHANNEL_UNREACHABLE,
    is_slack_response_url,
    unreachable_channel_advice,
)
from bot.slack.outbox import Delivery, owe, wall_clock
from storage.db import transaction
from storage.repositories.outbox import enqueue_each

logger = logging.getLogger(__name__)

MESSAGE = "message"
UPDATE = "update"
DIRECT_MESSAGE = "dm"
TELL = "tell"
OUTBOX_EVENT = "psif_outbox"
RECENT_MESSAGES = 100


def owe_message(
    session: Session,
    *,
    team_id: str,
    channel: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    if_undelivered: dict[str, Any] | None = None,
    thread_ts: str | None = None,
) -> None:
    """Post to a channel (or, with a user id, to the app's DM with them), in a thread when
    `thread_ts` is given."""
    owe(
        session,
        team_id=team_id,
        kind=MESSAGE,
        lane=channel,
        payload={
            "channel": channel,
            "text": text,
            "blocks": blocks,
            "if_undelivered": if_undelivered,
            "thread_ts": thread_ts,
        },
    )


def owe_direct_message(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    if_undelivered: dict[str, Any] | None = None,
) -> None:
    owe(
        session,
        team_id=team_id,
        kind=DIRECT_MESSAGE,
        lane=user_id,
        payload={
            "channel": user_id,
            "text": text,
            "blocks": blocks,
            "if_undelivered": if_undelivered,
        },
    )


def owe_answer(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    response_url: str | None,
    text: str,
    blocks: list[dict[str, Any]] | None = None,
    replace_original: bool = False,
) -> None:
    """Tell the person who acted: ephemerally where they acted, or by DM. With
    `replace_original`, the answer replaces the ephemeral message they acted in."""
    owe_answers(
        session,
        team_id=team_id,
        user_id=user_id,
        response_url=response_url,
        answers=[(text, blocks)],
        replace_original=replace_original,
    )


def owe_answers(
    session: Session,
    *,
    team_id: str,
    user_id: str,
    response_url: str | None,
    answers: Sequence[tuple[str, list[dict[str, Any]] | None]],
    replace_original: bool = False,
) -> None:
    """Several answers (text, and blocks if any) to the person who acted, in order, as
    `owe_answer` tells one."""
    payloads: list[dict[str, Any]] = []
    for text, blocks in answers:
        payload: dict[str, Any] = {"user_id": user_id, "response_url": response_url, "text": text}
        if blocks is not None:
            payload["blocks"] = blocks
        if replace_original:
            payload["replace_original"] = True
        payloads.append(payload)
    enqueue_each(
        session=session,
        team_id=team_id,
        kind=TELL,
        lane=user_id,
        payloads=payloads,
        now=wall_clock(),
    )


def deliver_message(delivery: Delivery) -> None:
    payload = delivery.payload
    channel = str(payload["channel"])
    if delivery.may_have_reached_slack and _already_posted(delivery, channel):
        return
    delivery.client.chat_postMessage(
        channel=channel,
        text=str(payload["text"]),
        blocks=payload.get("blocks"),
        metadata={"event_type": OUTBOX_EVENT, "event_payload": {"item": delivery.item_id}},
        thread_ts=payload.get("thread_ts"),
        unfurl_links=False,
        unfurl_media=False,
    )


def deliver_update(delivery: Delivery) -> None:
    payload = delivery.payload
    delivery.client.chat_update(
        channel=str(payload["channel"]),
        ts=str(payload["ts"]),
        text=str(payload["text"]),
        blocks=payload.get("blocks"),
    )


def deliver_answer(delivery: Delivery) -> None:
    payload = delivery.payload
    response_url = payload.get("response_url")
    if isinstance(response_url, str) and is_slack_response_url(
        response_url, api_url=delivery.deps.settings.slack_api_url
    ):
        response = WebhookClient(response_url, timeout=10).send(
            text=str(payload["text"]),
            blocks=payload.get("blocks"),
            response_type="ephemeral",
            replace_original=bool(payload.get("replace_original")),
        )
        if response.status_code == 200:
            return
        # Expired (after 30 minutes or 5 uses): a direct message reaches them instead.
        logger.info("response_url no longer usable (%s); sending a DM", response.status_code)
    deliver_message(
        Delivery(
            item_id=delivery.item_id,
            kind=DIRECT_MESSAGE,
            team_id=delivery.team_id,
            payload={
                "channel": payload["user_id"],
                "text": payload["text"],
                "blocks": payload.get("blocks"),
            },
            attempts=delivery.attempts,
            previous_error=delivery.previous_error,
            client=delivery.client,
            deps=delivery.deps,
        )
    )


def _already_posted(delivery: Delivery, channel: str) -> bool:
    """Whether an earlier attempt that got no answer did reach Slack (its metadata names the
    item). Without the history scopes, or if Slack doesn't answer, assume it didn't."""
    return (
        find_posted(
            delivery.client,
            channel=channel,
            event_type=OUTBOX_EVENT,
            key="item",
            value=delivery.item_id,
        )
        is not None
    )


def post_once(
    delivery: Delivery, *, channel: str, text: str, blocks: list[dict[str, Any]] | None
) -> tuple[str, bool]:
    """The item's message in `channel`: posted now, or found when an earlier attempt of a
    delivery with later steps (uploads, thread replies) posted it before failing. The ts,
    and whether it was posted earlier."""
    if delivery.attempts > 1:
        found = find_posted(
            delivery.client,
            channel=channel,
            event_type=OUTBOX_EVENT,
            key="item",
            value=delivery.item_id,
        )
        if found is not None:
            return found, True
    response = delivery.client.chat_postMessage(
        channel=channel,
        text=text,
        blocks=blocks,
        metadata={"event_type": OUTBOX_EVENT, "event_payload": {"item": delivery.item_id}},
        unfurl_links=False,
        unfurl_media=False,
    )
    return str(response["ts"]), False


def find_posted(
    client: WebClient, *, channel: str, event_type: str, key: str, value: object
) -> str | None:
    """The ts of a recent message in `channel` (a user id: the app's DM with them) whose
    metadata has `event_type` and payload[key] == value; None if not found or unknowable."""
    try:
        if channel.startswith(("U", "W")):
            channel = str(client.conversations_open(users=channel)["channel"]["id"])
        response = client.conversations_history(
            channel=channel, limit=RECENT_MESSAGES, include_all_metadata=True
        )
    except Exception as error:
        logger.warning("could not check whether a message reached Slack: %s", error)
        return None
    messages: list[dict[str, Any]] = response.get("messages") or []
    for found in messages:
        metadata = found.get("metadata") or {}
        if metadata.get("event_type") == event_type and (
            (metadata.get("event_payload") or {}).get(key) == value
        ):
            return str(found["ts"])
    return None


def notify_failure(delivery: Delivery, error: str) -> None:
    """An item Slack refused for good: tell the person it concerns what to do, if it says."""
    notice = delivery.payload.get("if_undelivered")
    if not isinstance(notice, dict) or delivery.kind == TELL:
        return
    channel = str(delivery.payload.get("channel", ""))
    if error in CHANNEL_UNREACHABLE and channel.startswith(("C", "G")):
        advice = unreachable_channel_advice(channel, error)
    elif delivery.kind == DIRECT_MESSAGE or channel.startswith(("U", "W")):
        advice = (
            "Slack won't let me message them (perhaps they're in another organisation), so "
            "please let them know yourself."
        )
    else:
        advice = (
            f"Slack refused it (`{error}`). Everything is saved: type `/psif status` in the "
            "review's channel to see where things stand."
        )
    with transaction(delivery.deps.sessions) as session:
        owe_answer(
            session,
            team_id=delivery.team_id,
            user_id=str(notice["user_id"]),
            response_url=notice.get("response_url"),
            text=f"{notice['text']} {advice}",
        )
