"""The Web API methods the bot (and Bolt) call, answered as Slack answers them.

Each method is a function of (workspace, decoded arguments) returning the answer without
``"ok": true``, or raising `SlackError`; the server calls them with the workspace's lock held.
"""

from __future__ import annotations

import copy
import mimetypes
from collections.abc import Callable, Mapping
from typing import Any

from bot.demo.fake_slack.state import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    Channel,
    UploadedFile,
    Workspace,
    optional_text,
    text_arg,
    with_block_ids,
)
from bot.demo.fake_slack.validator import SlackError, check_message, check_view, invalid

Method = Callable[[Workspace, dict[str, Any]], dict[str, Any]]

VIEW_STACK_LIMIT = 3  # the root view plus at most two pushed views


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


def auth_test(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": "PSIF Test",
        "user": ws.users[BOT_USER_ID].name,
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


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


def users_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user = ws.users.get(text_arg(args, "user"))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.to_api()}


def usergroups_users_list(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """A user group's members; a free plan has no groups, and the token needs the scope."""
    ws.require_scope("usergroups:read")
    group_id = text_arg(args, "usergroup")
    if not group_id:
        raise invalid(["missing required field: usergroup [json-pointer:/usergroup]"])
    if not ws.has_user_groups:
        raise SlackError("plan_upgrade_required")
    group = ws.user_groups.get(group_id)
    if group is None:
        raise SlackError("no_such_subteam")
    return {"users": list(group.users)}


def views_open(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    submitted = check_view(args.get("view"), "modal")
    ws.check_external_id(submitted, None)
    ws.exchange_trigger(args)
    view_id = ws.new_id("V")
    ws.stacks[view_id] = [view_id]
    return {"view": ws.store_view(submitted, view_id, view_id, None)}


def views_push(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    submitted = check_view(args.get("view"), "modal")
    ws.check_external_id(submitted, None)
    trigger = ws.exchange_trigger(args)
    if trigger.view_id is not None and trigger.view_id in ws.views:
        root_view_id = ws.views[trigger.view_id]["root_view_id"]
    elif ws.stacks:
        root_view_id = next(reversed(ws.stacks))
    else:
        raise SlackError("not_found")
    stack = ws.stacks.get(root_view_id)
    if stack is None:
        raise SlackError("not_found")
    if len(stack) >= VIEW_STACK_LIMIT:
        raise SlackError("push_limit_reached")
    view_id = ws.new_id("V")
    view = ws.store_view(submitted, view_id, root_view_id, stack[-1])
    stack.append(view_id)
    return {"view": view}


def views_update(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view_id, external_id = text_arg(args, "view_id"), text_arg(args, "external_id")
    current = (
        ws.views.get(view_id)
        if view_id
        else next(
            (v for v in ws.views.values() if external_id and v["external_id"] == external_id),
            None,
        )
    )
    if current is None:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    submitted = check_view(args.get("view"), current["type"])
    ws.check_external_id(submitted, current["id"])
    view = ws.store_view(
        submitted, current["id"], current["root_view_id"], current["previous_view_id"]
    )
    view["state"] = current["state"]
    view["external_id"] = view["external_id"] or current["external_id"]
    for user_id, home in ws.home_tabs.items():
        if home["id"] == view["id"]:
            ws.home_tabs[user_id] = view
    return {"view": view}


def views_publish(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = text_arg(args, "user_id")
    if not user_id:
        raise invalid(["missing required field: user_id [json-pointer:/user_id]"])
    current = ws.home_tabs.get(user_id)
    if current is not None and args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    view_id = current["id"] if current is not None else ws.new_id("V")
    submitted = check_view(args.get("view"), "home")
    ws.check_external_id(submitted, view_id)
    view = ws.store_view(submitted, view_id, view_id, None)
    ws.home_tabs[user_id] = view
    return {"view": view}


def files_get_upload_url_external(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    filename = text_arg(args, "filename")
    try:
        length = int(args["length"])
    except (KeyError, TypeError, ValueError):
        length = 0
    if not filename or length <= 0:
        raise invalid(["filename and a positive length are required"])
    file_id = ws.new_id("F")
    ws.files[file_id] = UploadedFile(
        file_id,
        filename,
        length,
        optional_text(args, "alt_txt"),
        optional_text(args, "snippet_type"),
    )
    return {"upload_url": f"{ws.root_url}/upload/{file_id}", "file_id": file_id}


def files_complete_upload_external(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    entries = args.get("files")
    if not isinstance(entries, list) or not entries:
        raise invalid(["files must be a non-empty JSON array [json-pointer:/files]"])
    uploads: list[tuple[UploadedFile, str | None]] = []
    for entry in entries:
        upload = ws.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        if upload is None or upload.content is None:
            raise SlackError("file_not_found")
        uploads.append((upload, entry.get("title")))
    channel_id = optional_text(args, "channel_id")
    channels = [c for c in text_arg(args, "channels").split(",") if c]
    if channel_id is not None:
        channels.insert(0, channel_id)
    for channel in channels:
        ws.postable_channel(channel)
    answer: list[dict[str, Any]] = []
    for upload, title in uploads:
        upload.title = title or upload.filename
        upload.channel_id = channels[0] if channels else None
        upload.channels = channels
        upload.initial_comment = optional_text(args, "initial_comment")
        upload.thread_ts = optional_text(args, "thread_ts")
        upload.completed = True
        answer.append(
            {
                "id": upload.id,
                "name": upload.filename,
                "title": upload.title,
                "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
                "size": len(upload.content or b""),
                "channels": channels,
                "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{upload.id}",
            }
        )
    return {"files": answer}


METHODS: dict[str, Method] = {
    "auth.test": auth_test,
    "chat.postMessage": chat_post_message,
    "chat.postEphemeral": chat_post_ephemeral,
    "chat.update": chat_update,
    "conversations.info": conversations_info,
    "conversations.members": conversations_members,
    "conversations.open": conversations_open,
    "conversations.history": conversations_history,
    "users.info": users_info,
    "usergroups.users.list": usergroups_users_list,
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
    "files.getUploadURLExternal": files_get_upload_url_external,
    "files.completeUploadExternal": files_complete_upload_external,
}
