"""What the fake Slack workspace holds: channels, users, messages, views, files, and the
one-time trigger ids and response URLs it issued.

`Workspace` is guarded by its `lock`: the public methods take it; the helpers the Web API
methods use (`channel`, `store_view`, …) expect it held.
"""

from __future__ import annotations

import copy
import itertools
import random
import string
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from bot.demo.fake_slack.arguments import text_arg
from bot.demo.fake_slack.slack_error import SlackError
from bot.demo.fake_slack.workspace_objects import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_ID,
    Channel,
    UploadedFile,
    User,
    UserGroup,
)

TRIGGER_TTL_SECONDS = 3.0
RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_TTL_SECONDS = 30 * 60.0


@dataclass
class Trigger:
    issued_at: float
    view_id: str | None
    used: bool = False


@dataclass
class ResponseUrl:
    issued_at: float
    uses: int = 0


def with_block_ids(blocks: Any) -> Any:
    """Copy blocks as Slack stores them: every block without a block_id gets a random one."""
    stored = copy.deepcopy(blocks)
    if isinstance(stored, list):
        for block in stored:
            if isinstance(block, dict) and "block_id" not in block:
                block["block_id"] = "".join(random.choices(string.ascii_letters, k=5))
    return stored


class Workspace:
    """The Slack-side state. With ``strict_channels`` only configured (or opened) channels
    exist; otherwise any channel id is known and the bot is a member. ``clock`` drives
    trigger-id and response_url expiry."""

    def __init__(
        self, *, clock: Callable[[], float] = time.monotonic, strict_channels: bool = False
    ) -> None:
        self.lock = threading.RLock()
        self.clock = clock
        self.strict_channels = strict_channels
        self.root_url = ""  # set by the server once it listens; upload URLs start with it
        self._ids = itertools.count(1)
        self._ts_micros = 1_700_000_000_000_000
        self.channels: dict[str, Channel] = {}
        self.users: dict[str, User] = {
            BOT_USER_ID: User(BOT_USER_ID, "psif-bot", "PSIF Bot", is_bot=True)
        }
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) → message
        self.views: dict[str, dict[str, Any]] = {}
        self.home_tabs: dict[str, dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}
        self.triggers: dict[str, Trigger] = {}
        self.response_urls: dict[str, ResponseUrl] = {}
        self.stacks: dict[str, list[str]] = {}  # root view id → open view ids, bottom first
        self.dm_ids: dict[tuple[str, ...], str] = {}
        self.user_groups: dict[str, UserGroup] = {}
        self.has_user_groups = True  # False: a free plan, where Slack has no user groups
        self.scopes: frozenset[str] | None = None  # the bot token's scopes; None: all
        # When the call being answered on this thread reached Slack: a slow answer doesn't
        # make a trigger id that was fresh on arrival expire.
        self._arrival = threading.local()

    # ---- configuration (takes the lock) ---------------------------------------------

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
        """Configure a channel: ``is_member=False`` → posting answers ``not_in_channel``;
        ``is_archived`` → ``is_archived``; ``missing`` → ``channel_not_found``;
        ``is_private=False`` → conversations.info says it is a public channel."""
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

    def issue_trigger_id(self, view_id: str | None = None) -> str:
        """A trigger id usable once within 3 s (by ``clock``). ``view_id`` names the view
        the interaction came from; views.push then pushes onto that view's stack (default:
        the most recently opened modal)."""
        with self.lock:
            trigger_id = f"{next(self._ids)}.{TEAM_ID}.fake{next(self._ids):06x}"
            self.triggers[trigger_id] = Trigger(self.clock(), view_id)
        return trigger_id

    def new_response_url(self) -> str:
        """A response_url accepting 5 POSTs within 30 minutes (by ``clock``)."""
        with self.lock:
            url_id = f"R{next(self._ids):07d}"
            self.response_urls[url_id] = ResponseUrl(self.clock())
        return f"{self.root_url}/response/{url_id}"

    def use_response_url(self, url_id: str) -> tuple[int, str]:
        """Count one POST to a response URL; Slack's (status, answer) for it."""
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
        """Simulate the user closing (or submitting) ``view_id``: it and any views pushed
        on top of it leave the stack and ``views``."""
        with self.lock:
            view = self.views[view_id]
            stack = self.stacks.get(view["root_view_id"], [])
            if view_id in stack:
                index = stack.index(view_id)
                for closed in stack[index:]:
                    del self.views[closed]
                del stack[index:]
                if not stack:
                    del self.stacks[view["root_view_id"]]

    def messages_in(self, channel_id: str) -> list[dict[str, Any]]:
        """Messages currently stored in ``channel_id``, oldest first."""
        with self.lock:
            return [
                msg for (channel, _), msg in sorted(self.messages.items()) if channel == channel_id
            ]

    # ---- helpers for the Web API methods (lock held) --------------------------------

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):07d}"

    def next_ts(self) -> str:
        self._ts_micros += 100
        return f"{self._ts_micros // 1_000_000}.{self._ts_micros % 1_000_000:06d}"

    def channel(self, channel_id: str) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None and channel_id and not self.strict_channels:
            channel = Channel(channel_id, channel_id.lower())
            self.channels[channel_id] = channel
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

    def stored_message(self, channel_id: str, ts: str) -> dict[str, Any]:
        message = self.messages.get((channel_id, ts))
        if message is None:
            raise SlackError("message_not_found")
        return message

    def require_scope(self, scope: str) -> None:
        """Raise Slack's `missing_scope` (naming the scope) if the token lacks it."""
        if self.scopes is not None and scope not in self.scopes:
            raise SlackError("missing_scope", needed=scope, provided=",".join(sorted(self.scopes)))

    @contextmanager
    def call_arrived(self, at: float) -> Iterator[None]:
        """Answer the call on this thread as of its arrival at `at` (by ``clock``)."""
        self._arrival.at = at
        try:
            yield
        finally:
            self._arrival.at = None

    def exchange_trigger(self, args: Mapping[str, Any]) -> Trigger:
        trigger = self.triggers.get(text_arg(args, "trigger_id"))
        if trigger is None:
            raise SlackError("invalid_trigger_id")
        if trigger.used:
            raise SlackError("exchanged_trigger_id")
        arrived = getattr(self._arrival, "at", None)
        now = self.clock() if arrived is None else arrived
        if now - trigger.issued_at > TRIGGER_TTL_SECONDS:
            raise SlackError("expired_trigger_id")
        trigger.used = True
        return trigger

    def check_external_id(self, view: Mapping[str, Any], view_id: str | None) -> None:
        external_id = view.get("external_id")
        if external_id and any(
            v.get("external_id") == external_id and v["id"] != view_id for v in self.views.values()
        ):
            raise SlackError("duplicate_external_id")

    def store_view(
        self,
        submitted: Mapping[str, Any],
        view_id: str,
        root_view_id: str,
        previous_view_id: str | None,
    ) -> dict[str, Any]:
        view: dict[str, Any] = {
            "id": view_id,
            "team_id": TEAM_ID,
            "app_id": APP_ID,
            "app_installed_team_id": TEAM_ID,
            "bot_id": BOT_ID,
            "type": submitted["type"],
            "blocks": with_block_ids(submitted.get("blocks", [])),
            "callback_id": submitted.get("callback_id", ""),
            "private_metadata": submitted.get("private_metadata", ""),
            "external_id": submitted.get("external_id", ""),
            "clear_on_close": bool(submitted.get("clear_on_close", False)),
            "notify_on_close": bool(submitted.get("notify_on_close", False)),
            "state": {"values": {}},
            "hash": f"{self._ts_micros // 1_000_000}.{next(self._ids):08d}",
            "root_view_id": root_view_id,
            "previous_view_id": previous_view_id,
        }
        for key in ("title", "submit", "close"):
            if key in submitted:
                view[key] = copy.deepcopy(submitted[key])
        self.views[view_id] = view
        return view
