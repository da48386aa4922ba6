"""Whether a conversation is private: results, comments and reports are posted only there."""

from __future__ import annotations

from enum import StrEnum

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.core.errors import Refusal
from bot.slack.calls import slack_error
from bot.slack.text import channel_link


class Privacy(StrEnum):
    PRIVATE = "private"  # a private channel, a group DM or a DM
    PUBLIC = "public"  # anyone in the workspace can find and read it
    UNKNOWN = "unknown"  # Slack would not say (the bot is not in it, or it is gone)


def channel_privacy(client: WebClient, channel_id: str) -> tuple[Privacy, str | None]:
    """Ask Slack (conversations.info), with the error code when it would not say."""
    try:
        info = client.conversations_info(channel=channel_id)["channel"]
    except SlackApiError as error:
        return Privacy.UNKNOWN, slack_error(error)
    if info.get("is_private") or info.get("is_im") or info.get("is_mpim"):
        return Privacy.PRIVATE, None
    return Privacy.PUBLIC, None


HOW_TO_MAKE_PRIVATE = (
    "A workspace admin or the channel's manager can change it: click the channel's name › "
    "Settings › Change to a private channel."
)


def refuse_outside_private(channel_id: str, privacy: Privacy, what: str, error: str | None) -> str:
    """Why `what` (e.g. "self-assessment results") is not posted in this channel."""
    if privacy is Privacy.UNKNOWN:
        return (
            f"I couldn't check that {channel_link(channel_id)} is private (Slack said "
            f"`{error}`), and I post {what} only in a private channel. Add me to the "
            "channel (`/invite @PSIF`) and try again."
        )
    return (
        f"{channel_link(channel_id)} is a public channel: anyone in the workspace can find and "
        f"read it, so I don't post {what} here. They go only to a private channel, to "
        f"protect the people who answered. {HOW_TO_MAKE_PRIVATE} Then try again."
    )


def public_channel_warning(channel_id: str) -> str:
    return (
        f"⚠️ {channel_link(channel_id)} is a public channel: anyone in the workspace can "
        "read it. You can open the review here, but I'll only post the self-assessment "
        "results, comments and the report in a private channel. Consider a private channel "
        f"for the review team. {HOW_TO_MAKE_PRIVATE}"
    )


def require_private_channel(
    client: WebClient, channel_id: str, what: str, *, meanwhile: str = ""
) -> None:
    """Refuse unless Slack says the channel is private (guidance §2)."""
    privacy, error = channel_privacy(client, channel_id)
    if privacy is not Privacy.PRIVATE:
        raise Refusal(refuse_outside_private(channel_id, privacy, what, error) + meanwhile)
