"""chat.postMessage, chat.postEphemeral and chat.update: messages the bot posts and edits."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from typing import Any

from bot.demo.fake_slack.arguments import text_arg
from bot.demo.fake_slack.slack_error import SlackError
from bot.demo.fake_slack.validator import check_message
from bot.demo.fake_slack.workspace import Workspace, with_block_ids
from bot.demo.fake_slack.workspace_objects import APP_ID, BOT_ID, BOT_USER_ID, TEAM_ID


def _message(args: Mapping[str, Any], ts: str) -> dict[str, Any]:
    message: dict[str, Any] = {
        "type": "message",
        "text": text_arg(args, "text"),
        "user": BOT_USER_ID,
        "bot_id": BOT_ID,
        "app_id": APP_ID,
        "team": TEAM_ID,
        "ts": ts,
    }
    for key in ("attachments", "thread_ts", "metadata"):
        if args.get(key) is not None:
            message[key] = copy.deepcopy(args[key])
    if args.get("blocks") is not None:
        message["blocks"] = with_block_ids(args["blocks"])
    return message


def chat_post_message(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.postable_channel(text_arg(args, "channel"))
    check_message(args)
    ts = ws.next_ts()
    message = _message(args, ts)
    ws.messages[(channel.id, ts)] = message
    return {"channel": channel.id, "ts": ts, "message": message}


def chat_post_ephemeral(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.postable_channel(text_arg(args, "channel"))
    user = text_arg(args, "user")
    if not user:
        raise SlackError("user_not_found")
    if channel.members and user not in channel.members:
        raise SlackError("user_not_in_channel")
    check_message(args)
    return {"message_ts": ws.next_ts()}


def chat_update(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(text_arg(args, "channel"))
    if channel.is_archived:
        raise SlackError("is_archived")
    ts = text_arg(args, "ts")
    message = ws.stored_message(channel.id, ts)
    check_message(args)
    for key in ("text", "blocks", "attachments", "metadata"):
        if key in args:
            message[key] = copy.deepcopy(args[key])
    message["edited"] = {"user": BOT_USER_ID, "ts": ws.next_ts()}
    return {"channel": channel.id, "ts": ts, "text": message["text"], "message": message}
