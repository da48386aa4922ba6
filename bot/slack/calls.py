"""Slack Web API calls whose failures users can cause or fix, with friendly outcomes."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.webhook import WebhookClient

logger = logging.getLogger(__name__)

SLACK_HOOKS = frozenset({"hooks.slack.com", "hooks.slack-gov.com"})
CHANNEL_UNREACHABLE = frozenset(
    {"not_in_channel", "channel_not_found", "is_archived", "restricted_action"}
)


def slack_error(error: SlackApiError) -> str:
    return str(error.response.get("error", "unknown_error"))


def open_view(
    client: WebClient, *, trigger_id: str, view: dict[str, Any], on_expired: Callable[[], None]
) -> str | None:
    """Open a modal; if the trigger has expired or was used, call `on_expired` instead."""
    try:
        response = client.views_open(trigger_id=trigger_id, view=view)
    except SlackApiError as error:
        if slack_error(error) in (
            "expired_trigger_id",
            "exchanged_trigger_id",
            "invalid_trigger_id",
        ):
            on_expired()
            return None
        raise
    return str(response["view"]["id"])


def direct_message(
    client: WebClient, *, user: str, text: str, blocks: list[dict[str, Any]] | None = None
) -> str | None:
    """Message a user in the app's DM: the ts, or None if Slack would not deliver."""
    try:
        response = client.chat_postMessage(
            channel=user, text=text, blocks=blocks, unfurl_links=False
        )
    except SlackApiError as error:
        logger.warning("direct message to %s failed: %s", user, slack_error(error))
        return None
    return str(response["ts"])


def unreachable_channel_advice(channel_id: str, error: str) -> str:
    if error == "is_archived":
        return f"<#{channel_id}> is archived, so I can't post there. Unarchive it first."
    return (
        f"I'm not a member of <#{channel_id}>, so I couldn't post there. "
        "Add me to the channel (type `/invite @PSIF` in it, or use the channel's "
        "Integrations › Add apps), then type `/psif status` there."
    )


def is_slack_response_url(url: str, *, api_url: str) -> bool:
    """Only Slack's own hooks (or a local stand-in's): never an arbitrary address."""
    parts = urlsplit(url)
    if parts.scheme == "https" and parts.hostname in SLACK_HOOKS:
        return True
    local = ("127.0.0.1", "localhost")
    return urlsplit(api_url).hostname in local and parts.hostname in local


def send_ephemeral(
    response_url: str | None,
    text: str,
    *,
    api_url: str,
    blocks: list[dict[str, Any]] | None = None,
    replace_original: bool = False,
) -> bool:
    """Answer through a response_url; False if there is none usable (or it has expired)."""
    if not response_url or not is_slack_response_url(response_url, api_url=api_url):
        return False
    response = WebhookClient(response_url, timeout=10).send(
        text=text, blocks=blocks, response_type="ephemeral", replace_original=replace_original
    )
    if response.status_code != 200:
        logger.info("response_url no longer usable (%s); sending a DM", response.status_code)
    return response.status_code == 200


def answer_user(client: WebClient, *, user_id: str, response_url: str | None, text: str) -> None:
    """Answer at once where the user acted, else by DM; only after the acknowledgement, and
    only what must leave no record (else owe it through the outbox)."""
    if not send_ephemeral(response_url, text, api_url=client.base_url):
        direct_message(client, user=user_id, text=text)
