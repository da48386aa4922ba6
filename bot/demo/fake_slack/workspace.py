"""The Slack side of the fake: what a workspace holds, and the Web API methods the bot (and
Bolt) call, answered as Slack answers them. Public `Workspace` methods take its `lock`; the Web
API methods expect it held."""

from __future__ import annotations

import copy
import itertools
import json
import mimetypes
import random
import string
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal
from zoneinfo import ZoneInfo

from bot.demo.fake_slack.block_kit import validate_blocks, validate_view

TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
APP_ID = "A0001"
TEAM_DOMAIN = "psif-test"

TRIGGER_TTL_SECONDS = 3.0
RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_TTL_SECONDS = 30 * 60.0
VIEW_MAX_BYTES = 250_000
MESSAGE_TEXT_LIMIT = 40_000


class SlackError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.body: dict[str, Any] = {"ok": False, "error": error, **extra}


def invalid(errors: list[str], error: str = "invalid_arguments") -> SlackError:
    """Slack's answer to a malformed payload, listing each problem."""
    metadata = {"messages": [f"[ERROR] {e}" for e in errors]}
    if error == "invalid_blocks":
        return SlackError(error, errors=errors, response_metadata=metadata)
    return SlackError(error, response_metadata=metadata)


@dataclass
class Channel:
    id: str
    name: str
    is_member: bool = True
    is_archived: bool = False
    missing: bool = False  # answer channel_not_found although configured
    members: list[str] = field(default_factory=list)  # other than the bot
    user: str | None = None  # the other user of a DM
    # Private unless configured public, so that tests not about privacy need no setup.
    is_private: bool = True

    def member_ids(self) -> list[str]:
        bot = [BOT_USER_ID] if self.is_member else []
        return bot + [m for m in self.members if m != BOT_USER_ID]

    def to_api(self) -> dict[str, Any]:
        is_im, is_mpim = self.id.startswith("D"), self.id.startswith("G")
        info: dict[str, Any] = {
            "id": self.id,
            "name": self.name,
            "created": 1700000000,
            "is_channel": not (is_im or is_mpim),
            "is_group": False,
            "is_im": is_im,
            "is_mpim": is_mpim,
            "is_private": self.is_private or is_im or is_mpim,
            "is_archived": self.is_archived,
            "is_member": self.is_member,
            "num_members": len(self.member_ids()),
        }
        if self.user is not None:
            info["user"] = self.user
        return info


@dataclass
class User:
    id: str
    name: str
    real_name: str
    tz: str = "Europe/London"
    email: str | None = None
    is_bot: bool = False

    def to_api(self) -> dict[str, Any]:
        now = datetime.now(ZoneInfo(self.tz))
        offset = now.utcoffset()
        return {
            "id": self.id,
            "team_id": TEAM_ID,
            "name": self.name,
            "real_name": self.real_name,
            "deleted": False,
            "is_bot": self.is_bot,
            "tz": self.tz,
            "tz_label": now.tzname(),
            "tz_offset": int(offset.total_seconds()) if offset is not None else 0,
            "profile": {
                "real_name": self.real_name,
                "display_name": self.name,
                "email": self.email,
            },
        }


@dataclass
class UserGroup:
    id: str
    handle: str
    users: list[str]


@dataclass
class UploadedFile:
    id: str
    filename: str
    content: bytes | None = None  # set by the POST to the upload URL
    title: str | None = None
    channel_id: str | None = None
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


@dataclass
class _ResponseUrl:
    issued_at: float
    uses: int = 0


def _text(args: Mapping[str, Any], key: str) -> str:
    value = args.get(key)
    return "" if value is None else str(value)


def _with_block_ids(blocks: Any) -> Any:
    """Copy blocks as Slack stores them: every block without a block_id gets a random one."""
    stored = copy.deepcopy(blocks)
    if isinstance(stored, list):
        for block in stored:
            if isinstance(block, dict) and "block_id" not in block:
                block["block_id"] = "".join(random.choices(string.ascii_letters, k=5))
    return stored


def _check_message(args: Mapping[str, Any]) -> None:
    text, blocks = args.get("text"), args.get("blocks")
    if not text and not blocks and not args.get("attachments"):
        raise SlackError("no_text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_LIMIT:
        raise SlackError("msg_too_long")
    errors = [] if blocks is None else validate_blocks(blocks, "message")
    if errors:
        raise invalid(errors, "invalid_blocks")


Method = Callable[["Workspace", dict[str, Any]], dict[str, Any]]
# The Web API methods, by name: each answers without ``"ok": true`` or raises `SlackError`.
METHODS: dict[str, Method] = {}


def _method(name: str) -> Callable[[Method], Method]:
    def register(implementation: Method) -> Method:
        METHODS[name] = implementation
        return implementation

    return register


class Workspace:
    """With `strict_channels` only configured (or opened) channels exist; otherwise any channel
    id is known and the bot is a member. `clock` drives trigger-id and response_url expiry."""

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, strict_channels: bool = False
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.strict_channels = strict_channels
        self._ids = itertools.count(1)
        self._ts_micros = 1_700_000_000_000_000
        self.channels: dict[str, Channel] = {}
        self.users = {BOT_USER_ID: User(BOT_USER_ID, "psif-bot", "PSIF Bot", is_bot=True)}
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) → message
        self.views: dict[str, dict[str, Any]] = {}
        self.home_tabs: dict[str, dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.triggers: dict[str, float | None] = {}  # trigger id → when issued; None: used
        self.response_urls: dict[str, _ResponseUrl] = {}
        self.dm_ids: dict[tuple[str, ...], str] = {}
        self.user_groups: dict[str, UserGroup] = {}
        self.has_user_groups = True  # False: a free plan, where Slack has no user groups
        self.scopes: frozenset[str] | None = None  # the bot token's scopes; None: all
        # When the call being answered reached Slack (set by the server, lock held): a slow
        # answer doesn't make a trigger id that was fresh on arrival expire.
        self.arrived_at = 0.0

    @property
    def root_url(self) -> str:  # where upload and response URLs point
        return ""

    # ---- configuration (takes the lock) ---------------------------------------------

    def user_uploads(self, filename: str, content: bytes) -> dict[str, Any]:
        """A file a person chose in a modal's file input, as the submission's state has it."""
        with self.lock:
            upload = UploadedFile(self.new_id("F"), filename, content, completed=True)
            self.files[upload.id] = upload
            return file_object(self, upload)

    def set_channel(
        self,
        channel_id: str,
        *,
        name: str | None = None,
        is_member: bool = True,
        is_archived: bool = False,
        missing: bool = False,
        members: Iterable[str] = (),
        is_private: bool = True,
    ) -> Channel:
        channel = Channel(
            channel_id,
            name or channel_id.lower(),
            is_member,
            is_archived,
            missing,
            list(members),
            is_private=is_private,
        )
        with self.lock:
            self.channels[channel_id] = channel
        return channel

    def add_user(
        self,
        user_id: str,
        *,
        name: str | None = None,
        real_name: str | None = None,
        tz: str = "Europe/London",
        email: str | None = None,
    ) -> User:
        user = User(user_id, name or user_id.lower(), real_name or name or user_id, tz, email)
        with self.lock:
            self.users[user_id] = user
        return user

    def add_user_group(self, group_id: str, handle: str, users: Iterable[str]) -> UserGroup:
        group = UserGroup(group_id, handle, list(users))
        with self.lock:
            self.user_groups[group_id] = group
        return group

    def issue_trigger_id(self) -> str:
        with self.lock:
            trigger_id = f"{next(self._ids)}.{TEAM_ID}.fake{next(self._ids):06x}"
            self.triggers[trigger_id] = self.clock()
        return trigger_id

    def new_response_url(self) -> str:
        with self.lock:
            url_id = f"R{next(self._ids):07d}"
            self.response_urls[url_id] = _ResponseUrl(self.clock())
        return f"{self.root_url}/response/{url_id}"

    def use_response_url(self, url_id: str) -> tuple[int, str]:
        """Count one POST to a response URL: Slack's (status, answer)."""
        with self.lock:
            entry = self.response_urls.get(url_id)
            if entry is None:
                return 404, "no_service"
            if self.clock() - entry.issued_at > RESPONSE_URL_TTL_SECONDS:
                return 404, "expired_url"
            if entry.uses >= RESPONSE_URL_MAX_USES:
                return 404, "used_url"
            entry.uses += 1
            return 200, "ok"

    def close_view(self, view_id: str) -> None:
        with self.lock:
            del self.views[view_id]

    def messages_in(self, channel_id: str) -> list[dict[str, Any]]:
        with self.lock:
            return [
                msg for (channel, _), msg in sorted(self.messages.items()) if channel == channel_id
            ]

    # ---- answering a Web API call (lock held) ---------------------------------------

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):07d}"

    def next_ts(self) -> str:
        self._ts_micros += 100
        return f"{self._ts_micros // 1_000_000}.{self._ts_micros % 1_000_000:06d}"

    def channel(self, channel_id: str) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None and channel_id and not self.strict_channels:
            channel = self.channels[channel_id] = Channel(channel_id, channel_id.lower())
        if channel is None or channel.missing:
            raise SlackError("channel_not_found")
        return channel

    def postable_channel(self, channel_id: str) -> Channel:
        channel = self.channel(channel_id)
        if channel.is_archived:
            raise SlackError("is_archived")
        if not channel.is_member:
            raise SlackError("not_in_channel")
        return channel

    def exchange_trigger(self, args: Mapping[str, Any]) -> None:
        trigger_id = _text(args, "trigger_id")
        if trigger_id not in self.triggers:
            raise SlackError("invalid_trigger_id")
        issued_at = self.triggers[trigger_id]
        if issued_at is None:
            raise SlackError("exchanged_trigger_id")
        if self.arrived_at - issued_at > TRIGGER_TTL_SECONDS:
            raise SlackError("expired_trigger_id")
        self.triggers[trigger_id] = None

    def check_view(
        self, args: Mapping[str, Any], surface: Literal["modal", "home"], view_id: str | None
    ) -> dict[str, Any]:
        """The submitted view if Slack takes it as `view_id` (None: a new one)."""
        view = args.get("view")
        errors = validate_view(view, surface)
        if errors:
            raise invalid(errors)
        assert isinstance(view, dict)  # validate_view reported anything else
        if len(json.dumps(view)) > VIEW_MAX_BYTES:
            raise SlackError("view_too_large")
        external_id = view.get("external_id")
        if external_id and any(
            v.get("external_id") == external_id and v["id"] != view_id for v in self.views.values()
        ):
            raise SlackError("duplicate_external_id")
        return view

    def store_view(
        self, submitted: Mapping[str, Any], view_id: str, root_view_id: str, previous: str | None
    ) -> dict[str, Any]:
        view: dict[str, Any] = {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
            "type": submitted["type"],
            "blocks": _with_block_ids(submitted.get("blocks", [])),
            "callback_id": submitted.get("callback_id", ""),
            "private_metadata": submitted.get("private_metadata", ""),
            "external_id": submitted.get("external_id", ""),
            "clear_on_close": bool(submitted.get("clear_on_close", False)),
            "notify_on_close": bool(submitted.get("notify_on_close", False)),
            "state": {"values": {}},
            "hash": f"{self._ts_micros // 1_000_000}.{next(self._ids):08d}",
            "root_view_id": root_view_id,
            "previous_view_id": previous,
        }
        for key in ("title", "submit", "close"):
            if key in submitted:
                view[key] = copy.deepcopy(submitted[key])
        self.views[view_id] = view
        return view


# ---- the Web API methods ------------------------------------------------------------------


@_method("auth.test")
def _auth_test(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {
        "url": f"https://{TEAM_DOMAIN}.slack.com/",
        "team": "PSIF Test",
        "user": ws.users[BOT_USER_ID].name,
        "team_id": TEAM_ID,
        "user_id": BOT_USER_ID,
        "bot_id": BOT_ID,
        "is_enterprise_install": False,
    }


@_method("users.info")
def _users_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user = ws.users.get(_text(args, "user"))
    if user is None:
        raise SlackError("user_not_found")
    return {"user": user.to_api()}


@_method("usergroups.users.list")
def _usergroups_users_list(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    if ws.scopes is not None and "usergroups:read" not in ws.scopes:
        provided = ",".join(sorted(ws.scopes))
        raise SlackError("missing_scope", needed="usergroups:read", provided=provided)
    group_id = _text(args, "usergroup")
    if not group_id:
        raise invalid(["missing required field: usergroup [json-pointer:/usergroup]"])
    if not ws.has_user_groups:
        raise SlackError("plan_upgrade_required")
    group = ws.user_groups.get(group_id)
    if group is None:
        raise SlackError("no_such_subteam")
    return {"users": list(group.users)}


@_method("chat.postMessage")
def _chat_post_message(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.postable_channel(_text(args, "channel"))
    _check_message(args)
    ts = ws.next_ts()
    message: dict[str, Any] = {
        "type": "message",
        "text": _text(args, "text"),
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
        message["blocks"] = _with_block_ids(args["blocks"])
    ws.messages[(channel.id, ts)] = message
    return {"channel": channel.id, "ts": ts, "message": message}


@_method("chat.update")
def _chat_update(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(_text(args, "channel"))
    if channel.is_archived:
        raise SlackError("is_archived")
    ts = _text(args, "ts")
    message = ws.messages.get((channel.id, ts))
    if message is None and channel.user:
        # Posted with the user's id as its channel: Slack puts that in this same DM.
        message = ws.messages.get((channel.user, ts))
    if message is None:
        raise SlackError("message_not_found")
    _check_message(args)
    for key in ("text", "blocks", "attachments", "metadata"):
        if key in args:
            message[key] = copy.deepcopy(args[key])
    message["edited"] = {"user": BOT_USER_ID, "ts": ws.next_ts()}
    return {"channel": channel.id, "ts": ts, "text": message["text"], "message": message}


@_method("chat.getPermalink")
def _chat_get_permalink(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    channel = ws.channel(_text(args, "channel"))
    ts = _text(args, "message_ts")
    if (channel.id, ts) not in ws.messages:
        raise SlackError("message_not_found")
    link = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
    return {"channel": channel.id, "permalink": link}


@_method("conversations.info")
def _conversations_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    return {"channel": ws.channel(_text(args, "channel")).to_api()}


@_method("conversations.open")
def _conversations_open(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    if args.get("channel"):
        return {"channel": {"id": ws.channel(_text(args, "channel")).id}}
    users = tuple(sorted(u.strip() for u in _text(args, "users").split(",") if u.strip()))
    if not users:
        raise SlackError("users_list_not_supplied")
    existing = ws.dm_ids.get(users)
    if existing is not None:
        return {"channel": {"id": existing}, "no_op": True, "already_open": True}
    channel_id = ws.dm_ids[users] = ws.new_id("D" if len(users) == 1 else "G")
    ws.channels[channel_id] = Channel(
        channel_id, "-".join(users), members=list(users), user=users[0] if len(users) == 1 else None
    )
    return {"channel": {"id": channel_id}}


@_method("conversations.history")
def _conversations_history(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    """Newest first; `oldest`/`latest` bound the ts (exclusive, as Slack's default)."""
    channel = ws.channel(_text(args, "channel"))
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


@_method("views.open")
def _views_open(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    submitted = ws.check_view(args, "modal", None)
    ws.exchange_trigger(args)
    view_id = ws.new_id("V")
    return {"view": ws.store_view(submitted, view_id, view_id, None)}


@_method("views.update")
def _views_update(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    view_id, external_id = _text(args, "view_id"), _text(args, "external_id")
    if view_id:
        current = ws.views.get(view_id)
    else:
        found = (v for v in ws.views.values() if external_id and v["external_id"] == external_id)
        current = next(found, None)
    if current is None:
        raise SlackError("not_found")
    if args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    submitted = ws.check_view(args, current["type"], current["id"])
    view = ws.store_view(
        submitted, current["id"], current["root_view_id"], current["previous_view_id"]
    )
    view["state"] = current["state"]
    view["external_id"] = view["external_id"] or current["external_id"]
    for user_id, home in ws.home_tabs.items():
        if home["id"] == view["id"]:
            ws.home_tabs[user_id] = view
    return {"view": view}


@_method("views.publish")
def _views_publish(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    user_id = _text(args, "user_id")
    if not user_id:
        raise invalid(["missing required field: user_id [json-pointer:/user_id]"])
    current = ws.home_tabs.get(user_id)
    if current is not None and args.get("hash") and args["hash"] != current["hash"]:
        raise SlackError("hash_conflict")
    view_id = current["id"] if current is not None else ws.new_id("V")
    submitted = ws.check_view(args, "home", view_id)
    view = ws.home_tabs[user_id] = ws.store_view(submitted, view_id, view_id, None)
    return {"view": view}


@_method("files.getUploadURLExternal")
def _files_get_upload_url_external(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    filename = _text(args, "filename")
    try:
        length = int(args["length"])
    except (KeyError, TypeError, ValueError):
        length = 0
    if not filename or length <= 0:
        raise invalid(["filename and a positive length are required"])
    file_id = ws.new_id("F")
    ws.files[file_id] = UploadedFile(file_id, filename)
    return {"upload_url": f"{ws.root_url}/upload/{file_id}", "file_id": file_id}


def file_object(ws: Workspace, upload: UploadedFile) -> dict[str, Any]:
    """A file as Slack describes it (files.info, a file_input's state)."""
    return {
        "id": upload.id,
        "name": upload.filename,
        "title": upload.title or upload.filename,
        "mimetype": mimetypes.guess_type(upload.filename)[0] or "application/octet-stream",
        "filetype": upload.filename.rsplit(".", 1)[-1].lower(),
        "size": len(upload.content or b""),
        "url_private_download": f"{ws.root_url}/download/{upload.id}",
    }


@_method("files.info")
def _files_info(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    upload = ws.files.get(_text(args, "file"))
    if upload is None or upload.content is None:
        raise SlackError("file_not_found")
    return {"file": file_object(ws, upload)}


@_method("files.completeUploadExternal")
def _files_complete_upload_external(ws: Workspace, args: dict[str, Any]) -> dict[str, Any]:
    entries = args.get("files")
    if not isinstance(entries, list) or not entries:
        raise invalid(["files must be a non-empty JSON array [json-pointer:/files]"])
    uploads: list[tuple[UploadedFile, str | None]] = []
    for entry in entries:
        upload = ws.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
        if upload is None or upload.content is None:
            raise SlackError("file_not_found")
        uploads.append((upload, entry.get("title")))
    channels = [c for c in [_text(args, "channel_id"), *_text(args, "channels").split(",")] if c]
    for channel in channels:
        ws.postable_channel(channel)
    answer: list[dict[str, Any]] = []
    for upload, title in uploads:
        upload.title = title or upload.filename
        upload.channel_id = channels[0] if channels else None
        upload.initial_comment = _text(args, "initial_comment") or None
        upload.thread_ts = _text(args, "thread_ts") or None
        upload.completed = True
        permalink = f"https://{TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{upload.id}"
        answer.append(file_object(ws, upload) | {"channels": channels, "permalink": permalink})
    return {"files": answer}
