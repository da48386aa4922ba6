"""Posting a nudge to Slack and sorting the outcome into what the pass should do next."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.reminders.nudges import Message

logger = logging.getLogger(__name__)

CHANNEL_UNREACHABLE = frozenset({"channel_not_found", "is_archived", "not_in_channel"})
# Failures after which Slack may have posted the message even though we got no answer.
AMBIGUOUS_ERRORS = frozenset({"timeout", "network"})
NUDGE_EVENT = "psif_nudge"
RECENT_MESSAGES = 100


class Outcome(StrEnum):
    SENT = "sent"
    RETRY = "retry"  # 429 after waiting, 5xx, timeout, network: try again next pass
    CHANNEL_UNREACHABLE = "channel_unreachable"
    REFUSED = "refused"  # Slack will never accept this one (bad user, invalid blocks …)


@dataclass(frozen=True)
class Delivery:
    outcome: Outcome
    ts: str | None = None
    error: str | None = None


def post(
    client: WebClient, *, target: str, message: Message, nudge_id: int | None = None
) -> Delivery:
    """Post to a channel id, or to a user id (Slack delivers that as a direct message).

    A nudge carries its id in the message metadata, so a retry can tell whether an earlier
    attempt that timed out reached Slack after all (see `find_posted`).
    """
    metadata = (
        {"event_type": NUDGE_EVENT, "event_payload": {"nudge_id": nudge_id}}
        if nudge_id is not None
        else None
    )
    try:
        response = client.chat_postMessage(
            channel=target,
            text=message.text,
            blocks=message.blocks,
            metadata=metadata,
            unfurl_links=False,
            unfurl_media=False,
        )
    except SlackApiError as error:
        code = str(error.response.get("error", "unknown_error"))
        status = error.response.status_code
        if status == 429 or status >= 500:
            return Delivery(Outcome.RETRY, error=f"http_{status}")
        if code in CHANNEL_UNREACHABLE:
            return Delivery(Outcome.CHANNEL_UNREACHABLE, error=code)
        logger.warning("Slack refused a nudge to %s: %s", target, code)
        return Delivery(Outcome.REFUSED, error=code)
    except OSError as error:  # timeouts and network failures (URLError is an OSError)
        logger.warning("Slack did not answer a nudge to %s: %s", target, error)
        return Delivery(
            Outcome.RETRY, error="timeout" if isinstance(error, TimeoutError) else "network"
        )
    return Delivery(Outcome.SENT, ts=str(response["ts"]))


def find_posted(client: WebClient, *, target: str, direct: bool, nudge_id: int) -> str | None:
    """The ts of nudge `nudge_id` if it is among the target's recent messages, else None.

    Used before retrying after a timeout, so a message Slack did post is not posted twice.
    Needs the history scopes (channels:history, groups:history, im:history); without them,
    or if Slack does not answer, it returns None and the nudge is posted again.
    """
    try:
        channel = target
        if direct:
            channel = str(client.conversations_open(users=target)["channel"]["id"])
        response = client.conversations_history(
            channel=channel, limit=RECENT_MESSAGES, include_all_metadata=True
        )
    except (SlackApiError, OSError) as error:
        logger.warning("could not check whether nudge %s reached Slack: %s", nudge_id, error)
        return None
    messages: list[dict[str, Any]] = response.get("messages") or []
    for found in messages:
        metadata = found.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == NUDGE_EVENT and payload.get("nudge_id") == nudge_id:
            return str(found["ts"])
    return None
