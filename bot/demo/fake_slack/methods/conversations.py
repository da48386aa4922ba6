"""conversations.info, .members, .open and .history: channels, DMs and what was said in them."""

from __future__ import annotations

from typing import Any

from bot.demo.fake_slack.arguments import text_arg
from bot.demo.fake_slack.slack_error import SlackError
from bot.demo.fake_slack.workspace import Workspace
from bot.demo.fake_slack.workspace_objects import Channel


def conversations_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {"channel": ws.channel(text_arg(args, "channel")).to_api()}


def conversations_members(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(text_arg(args, "channel"))
    return {"members": channel.member_ids(), "response_metadata": {"next_cursor": ""}}


def conversations_open(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    if args.get("channel"):
        return {"channel": {"id": ws.channel(text_arg(args, "channel")).id}}
    users = tuple(sorted(u.strip() for u in text_arg(args, "users").split(",") if u.strip()))
    if not users:
        raise SlackError("users_list_not_supplied")
    existing = ws.dm_ids.get(users)
    if existing is not None:
        return {"channel": {"id": existing}, "no_op": True, "already_open": True}
    channel_id = ws.new_id("D" if len(users) == 1 else "G")
    ws.dm_ids[users] = channel_id
    ws.channels[channel_id] = Channel(
        channel_id,
        "-".join(users),
        members=list(users),
        user=users[0] if len(users) == 1 else None,
    )
    return {"channel": {"id": channel_id}}


def conversations_history(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """Newest first; ``oldest``/``latest`` bound the ts (exclusive, as Slack's default);
    metadata only with ``include_all_metadata``."""
    channel = ws.channel(text_arg(args, "channel"))
    if not channel.is_member and not channel.id.startswith("D"):
        raise SlackError("not_in_channel")
    oldest = float(args.get("oldest") or 0)
    latest = float(args.get("latest") or "inf")
    limit = int(args.get("limit") or 100)
    with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
    found = []
    for (channel_id, ts), message in sorted(ws.messages.items(), reverse=True):
        if channel_id == channel.id and oldest < float(ts) < latest:
            shown = dict(message)
            if not with_metadata:
                shown.pop("metadata", None)
            found.append(shown)
    return {"messages": found[:limit], "has_more": len(found) > limit}
