"""A fake Slack Web API server for end-to-end tests.

``FakeSlack`` runs a real HTTP server on ``127.0.0.1`` (random port, daemon thread) that
speaks enough of the Slack Web API for psif-bot: point ``slack_sdk.WebClient`` (or Bolt's
``App(client=...)``) at ``fake.base_url`` and the bot's calls are answered the way Slack
answers them, including Slack's error codes and the limits people hit in production:

* every call is recorded as a :class:`Call` (method, decoded arguments, token, time,
  HTTP status and the answer) — read ``fake.calls`` or use :meth:`FakeSlack.calls_to`,
  :meth:`FakeSlack.last` and :meth:`FakeSlack.wait_for` (Bolt answers after ``ack()``, so
  the Web API calls usually arrive a little later, on another thread);
* the bot token is checked (``not_authed`` / ``invalid_auth``);
* messages, channels (``not_in_channel``, ``is_archived``, ``channel_not_found``), DMs,
  users, modals (trigger ids usable once within 3 s, view stack limit, ``hash_conflict``),
  the Home tab, ``files_upload_v2`` uploads and ``response_url`` posts are simulated;
* Block Kit payloads are validated like Slack does (:func:`validate_blocks`,
  :func:`validate_view` — usable directly on the bot's builders' output), answering
  ``invalid_blocks`` for messages and ``invalid_arguments`` for views;
* faults can be injected: :meth:`FakeSlack.fail_next` (HTTP 429 with ``Retry-After``,
  5xx, or a 200 with ``ok: false``) and :meth:`FakeSlack.delay`.

Example::

    with FakeSlack() as fake:
        client = WebClient(base_url=fake.base_url, token="xoxb-test")
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.last("chat.postMessage").args["text"] == "hi"
"""

from __future__ import annotations

import contextlib
import copy
import itertools
import json
import mimetypes
import random
import string
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Literal, TypeVar
from urllib.parse import parse_qsl, urlsplit
from zoneinfo import ZoneInfo

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_ID",
    "Call",
    "Channel",
    "FakeSlack",
    "ResponsePost",
    "UploadedFile",
    "User",
    "validate_blocks",
    "validate_view",
]

TEAM_ID = "T0001"
BOT_USER_ID = "UBOT"
BOT_ID = "B0001"
APP_ID = "A0001"
TEAM_DOMAIN = "psif-test"

TRIGGER_TTL_SECONDS = 3.0
RESPONSE_URL_MAX_USES = 5
RESPONSE_URL_TTL_SECONDS = 30 * 60.0
VIEW_STACK_LIMIT = 3  # the root view plus at most two pushed views
VIEW_MAX_BYTES = 250_000
MESSAGE_TEXT_LIMIT = 40_000
SCHEDULE_MAX_AHEAD_SECONDS = 120 * 24 * 3600

# Arguments that slack_sdk (or Slack itself) accepts as JSON-encoded strings in form data.
_JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks")

Surface = Literal["message", "modal", "home"]

_T = TypeVar("_T")
_Reply = tuple[int, bytes, dict[str, str]]


# --------------------------------------------------------------------------------------
# Block Kit validation
# --------------------------------------------------------------------------------------

_BLOCK_TYPES = frozenset(
    {
        "section",
        "divider",
        "header",
        "context",
        "actions",
        "input",
        "image",
        "rich_text",
        "file",
        "video",
    }
)
_ELEMENT_TYPES = frozenset(
    {
        "button",
        "checkboxes",
        "radio_buttons",
        "overflow",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "plain_text_input",
        "number_input",
        "email_text_input",
        "url_text_input",
        "rich_text_input",
        "file_input",
        "image",
        "static_select",
        "multi_static_select",
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
    }
)
_TEXT_TYPES = ("plain_text", "mrkdwn")


class _Checker:
    """Collects Slack-style error messages: ``<problem> [json-pointer:<path>]``."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, problem: str) -> None:
        self.errors.append(f"{problem} [json-pointer:{path}]")

    def string(self, value: Any, path: str, limit: int, *, required: bool = False) -> None:
        if value is None:
            if required:
                self.fail(path, "missing required field")
        elif not isinstance(value, str):
            self.fail(path, "must be a string")
        elif len(value) > limit:
            self.fail(path, f"must be less than {limit + 1} characters")

    def text(
        self, obj: Any, path: str, limit: int, *, plain: bool = False, required: bool = True
    ) -> None:
        if obj is None:
            if required:
                self.fail(path, "missing required field")
            return
        if not isinstance(obj, dict):
            self.fail(path, "must be a text object")
            return
        allowed = ("plain_text",) if plain else _TEXT_TYPES
        if obj.get("type") not in allowed:
            self.fail(f"{path}/type", f"must be one of: {', '.join(allowed)}")
        value = obj.get("text")
        if not isinstance(value, str) or not value:
            self.fail(f"{path}/text", "must be more than 0 characters")
        elif len(value) > limit:
            self.fail(f"{path}/text", f"must be less than {limit + 1} characters")

    def items(
        self, seq: Any, path: str, maximum: int, *, minimum: int = 0, required: bool = True
    ) -> list[Any]:
        if seq is None and not required:
            return []
        if not isinstance(seq, list):
            self.fail(path, "must be an array")
            return []
        if len(seq) > maximum:
            self.fail(path, f"no more than {maximum} items allowed")
        if len(seq) < minimum:
            self.fail(path, f"must provide at least {minimum} items")
        return seq

    def blocks(self, blocks: Any, path: str, maximum: int) -> None:
        seen_ids: set[str] = set()
        for index, block in enumerate(self.items(blocks, path, maximum)):
            self.block(block, f"{path}/{index}", seen_ids)

    def block(self, block: Any, path: str, seen_ids: set[str]) -> None:
        if not isinstance(block, dict):
            self.fail(path, "must be an object")
            return
        block_type = block.get("type")
        if block_type not in _BLOCK_TYPES:
            self.fail(f"{path}/type", f"unsupported block type: {block_type!r}")
            return
        block_id = block.get("block_id")
        self.string(block_id, f"{path}/block_id", 255)
        if isinstance(block_id, str):
            if block_id in seen_ids:
                self.fail(f"{path}/block_id", f"duplicate block_id: {block_id!r}")
            seen_ids.add(block_id)
        match block_type:
            case "section":
                if block.get("text") is None and block.get("fields") is None:
                    self.fail(path, "must provide either text or fields")
                self.text(block.get("text"), f"{path}/text", 3000, required=False)
                fields = self.items(block.get("fields"), f"{path}/fields", 10, required=False)
                for index, item in enumerate(fields):
                    self.text(item, f"{path}/fields/{index}", 2000)
                if block.get("accessory") is not None:
                    self.element(block["accessory"], f"{path}/accessory")
            case "header":
                self.text(block.get("text"), f"{path}/text", 150, plain=True)
            case "context":
                elements = self.items(block.get("elements"), f"{path}/elements", 10, minimum=1)
                for index, element in enumerate(elements):
                    element_path = f"{path}/elements/{index}"
                    if isinstance(element, dict) and element.get("type") == "image":
                        self.string(
                            element.get("alt_text"), f"{element_path}/alt_text", 2000, required=True
                        )
                    else:
                        self.text(element, element_path, 3000)
            case "actions":
                elements = self.items(block.get("elements"), f"{path}/elements", 25, minimum=1)
                for index, element in enumerate(elements):
                    self.element(element, f"{path}/elements/{index}")
            case "input":
                self.text(block.get("label"), f"{path}/label", 2000, plain=True)
                self.text(block.get("hint"), f"{path}/hint", 2000, plain=True, required=False)
                if block.get("element") is None:
                    self.fail(f"{path}/element", "missing required field")
                else:
                    self.element(block["element"], f"{path}/element")
            case "image":
                self.string(block.get("image_url"), f"{path}/image_url", 3000)
                self.string(block.get("alt_text"), f"{path}/alt_text", 2000, required=True)
                self.text(block.get("title"), f"{path}/title", 2000, plain=True, required=False)

    def element(self, element: Any, path: str) -> None:
        if not isinstance(element, dict):
            self.fail(path, "must be an object")
            return
        element_type = element.get("type")
        if element_type not in _ELEMENT_TYPES:
            self.fail(f"{path}/type", f"unsupported element type: {element_type!r}")
            return
        self.string(element.get("action_id"), f"{path}/action_id", 255)
        self.text(
            element.get("placeholder"), f"{path}/placeholder", 150, plain=True, required=False
        )
        if element.get("confirm") is not None:
            self.confirm(element["confirm"], f"{path}/confirm")
        match element_type:
            case "button":
                self.text(element.get("text"), f"{path}/text", 75, plain=True)
                self.string(element.get("value"), f"{path}/value", 2000)
                self.string(element.get("url"), f"{path}/url", 3000)
            case "radio_buttons" | "checkboxes":
                self.options(element.get("options"), f"{path}/options", 10, minimum=1)
            case "overflow":
                self.options(element.get("options"), f"{path}/options", 5, minimum=2)
            case "static_select" | "multi_static_select":
                self.select_options(element, path)
            case "plain_text_input":
                self.bounded_int(element.get("max_length"), f"{path}/max_length", 1, 3000)
                self.bounded_int(element.get("min_length"), f"{path}/min_length", 0, 3000)

    def select_options(self, element: dict[str, Any], path: str) -> None:
        groups = element.get("option_groups")
        if groups is None:
            self.options(element.get("options"), f"{path}/options", 100, minimum=1)
            return
        for index, group in enumerate(self.items(groups, f"{path}/option_groups", 100)):
            group_path = f"{path}/option_groups/{index}"
            if not isinstance(group, dict):
                self.fail(group_path, "must be an object")
                continue
            self.text(group.get("label"), f"{group_path}/label", 75, plain=True)
            self.options(group.get("options"), f"{group_path}/options", 100, minimum=1)

    def options(self, options: Any, path: str, maximum: int, *, minimum: int) -> None:
        for index, option in enumerate(self.items(options, path, maximum, minimum=minimum)):
            option_path = f"{path}/{index}"
            if not isinstance(option, dict):
                self.fail(option_path, "must be an object")
                continue
            self.text(option.get("text"), f"{option_path}/text", 75)
            # Slack's documentation says 150 for option values (older pages say 75).
            self.string(option.get("value"), f"{option_path}/value", 150)
            self.text(option.get("description"), f"{option_path}/description", 75, required=False)

    def confirm(self, confirm: Any, path: str) -> None:
        if not isinstance(confirm, dict):
            self.fail(path, "must be an object")
            return
        self.text(confirm.get("title"), f"{path}/title", 100, plain=True)
        self.text(confirm.get("text"), f"{path}/text", 300)
        self.text(confirm.get("confirm"), f"{path}/confirm", 30, plain=True)
        self.text(confirm.get("deny"), f"{path}/deny", 30, plain=True)

    def bounded_int(self, value: Any, path: str, low: int, high: int) -> None:
        if value is None:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, "must be an integer")
        elif not low <= value <= high:
            self.fail(path, f"must be between {low} and {high}")


def validate_blocks(blocks: Any, surface: Surface) -> list[str]:
    """Check ``blocks`` against Slack's Block Kit limits for ``surface``.

    Returns Slack-style messages such as
    ``"no more than 50 items allowed [json-pointer:/blocks]"``; empty when valid.
    Messages take at most 50 blocks (pointer ``/blocks``), modals and the Home tab 100
    (pointer ``/view/blocks``).
    """
    checker = _Checker()
    if surface == "message":
        checker.blocks(blocks, "/blocks", 50)
    else:
        checker.blocks(blocks, "/view/blocks", 100)
    return checker.errors


def validate_view(view: Any, surface: Literal["modal", "home"]) -> list[str]:
    """Check a modal or Home tab view payload (view fields and its blocks) like Slack does."""
    checker = _Checker()
    if not isinstance(view, dict):
        checker.fail("/view", "must be an object")
        return checker.errors
    if view.get("type") != surface:
        checker.fail("/view/type", f"must be {surface!r}")
    if surface == "modal":
        checker.text(view.get("title"), "/view/title", 24, plain=True)
        checker.text(view.get("submit"), "/view/submit", 24, plain=True, required=False)
        checker.text(view.get("close"), "/view/close", 24, plain=True, required=False)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(block, dict) and block.get("type") == "input" for block in blocks
        )
        if has_input and view.get("submit") is None:
            checker.fail("/view/submit", "submit is required when the view has an input block")
    checker.string(view.get("private_metadata"), "/view/private_metadata", 3000)
    checker.string(view.get("callback_id"), "/view/callback_id", 255)
    checker.string(view.get("external_id"), "/view/external_id", 255)
    return checker.errors + validate_blocks(view.get("blocks"), surface)


# --------------------------------------------------------------------------------------
# Recorded data and configuration
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    """One Web API call as the fake received and answered it."""

    method: str
    args: dict[str, Any]  # JSON-string fields (blocks, view, attachments, files…) decoded
    token: str | None
    timestamp: float  # time.time() when answered
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


@dataclass(frozen=True)
class ResponsePost:
    """One POST to a ``response_url`` issued by :meth:`FakeSlack.new_response_url`."""

    url_id: str
    body: dict[str, Any]
    status: int  # 200, or 404 when the URL was unknown, used up or expired
    timestamp: float


@dataclass
class Channel:
    """A conversation known to the fake. ``members`` lists users other than the bot."""

    id: str
    name: str
    is_member: bool = True
    is_archived: bool = False
    missing: bool = False  # answer channel_not_found although configured
    members: list[str] = field(default_factory=list)
    user: str | None = None  # the other user of a DM
    # Private unless configured public, so that tests not about privacy need no setup.
    is_private: bool = True

    def member_ids(self) -> list[str]:
        bot = [BOT_USER_ID] if self.is_member else []
        return bot + [m for m in self.members if m != BOT_USER_ID]

    def to_api(self) -> dict[str, Any]:
        is_im = self.id.startswith("D")
        is_mpim = self.id.startswith("G")
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
    """A workspace user answered by users.info / users.lookupByEmail."""

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
class UploadedFile:
    """A file uploaded through files.getUploadURLExternal → upload URL → complete."""

    id: str
    filename: str
    length: int
    alt_txt: str | None = None
    snippet_type: str | None = None
    content: bytes | None = None  # set by the POST to the upload URL
    title: str | None = None
    channel_id: str | None = None
    channels: list[str] = field(default_factory=list)
    initial_comment: str | None = None
    thread_ts: str | None = None
    completed: bool = False


@dataclass
class _Trigger:
    issued_at: float
    view_id: str | None
    used: bool = False


@dataclass
class _ResponseUrl:
    issued_at: float
    uses: int = 0


@dataclass(frozen=True)
class _Fault:
    error: str
    status: int
    retry_after: int


class _SlackError(Exception):
    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.body: dict[str, Any] = {"ok": False, "error": error, **extra}


def _invalid(errors: list[str], error: str = "invalid_arguments") -> _SlackError:
    messages = [f"[ERROR] {e}" for e in errors]
    if error == "invalid_blocks":
        return _SlackError(error, errors=errors, response_metadata={"messages": messages})
    return _SlackError(error, response_metadata={"messages": messages})


def _text_arg(args: Mapping[str, Any], key: str) -> str:
    value = args.get(key)
    return "" if value is None else str(value)


def _optional_text(args: Mapping[str, Any], key: str) -> str | None:
    value = args.get(key)
    return None if value is None or value == "" else str(value)


def _json(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body).encode("utf-8")


def _parse_args(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Merge query string and body (JSON or form-encoded); decode JSON-string fields."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if body:
        if content_type.startswith("application/json"):
            decoded = json.loads(body)
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            args.update(decoded)
        else:
            args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in _JSON_FIELDS:
        value = args.get(key)
        if isinstance(value, str) and value.startswith(("[", "{")):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


# --------------------------------------------------------------------------------------
# HTTP plumbing
# --------------------------------------------------------------------------------------


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # like Slack, take a burst of calls without refusing any

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        try:
            request_headers = {name.lower(): value for name, value in self.headers.items()}
            status, payload, headers = self.server.fake._handle(
                url.path, url.query, request_headers, body
            )
        except Exception:  # a bug in the fake: make it visible to the client and the test
            status, headers = 500, {"Content-Type": "application/json"}
            payload = _json(
                {"ok": False, "error": "fake_slack_crashed", "traceback": traceback.format_exc()}
            )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


# --------------------------------------------------------------------------------------
# The fake
# --------------------------------------------------------------------------------------


def _with_block_ids(blocks: Any) -> Any:
    """Copy blocks as Slack stores them: every block without a block_id gets a random one."""
    stored = copy.deepcopy(blocks)
    if isinstance(stored, list):
        for block in stored:
            if isinstance(block, dict) and "block_id" not in block:
                block["block_id"] = "".join(random.choices(string.ascii_letters, k=5))
    return stored


class FakeSlack:
    """A threaded fake of the Slack Web API; see the module docstring.

    ``clock`` drives trigger-id and response_url expiry (inject a fake one to test
    expiry without sleeping). ``tokens`` lists the accepted bot tokens (default: any
    token beginning ``xoxb-``). With ``strict_channels`` only channels configured with
    :meth:`set_channel` (or opened with conversations.open) exist; by default any
    channel id is known and the bot is a member.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        tokens: Iterable[str] | None = None,
        strict_channels: bool = False,
    ) -> None:
        self._clock = clock
        self._tokens = None if tokens is None else frozenset(tokens)
        self._strict_channels = strict_channels
        self._lock = threading.RLock()
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        self._ids = itertools.count(1)
        self._ts_micros = 1_700_000_000_000_000

        self.calls: list[Call] = []
        self.responses: list[ResponsePost] = []
        self.channels: dict[str, Channel] = {}
        self.users: dict[str, User] = {
            BOT_USER_ID: User(BOT_USER_ID, "psif-bot", "PSIF Bot", is_bot=True)
        }
        self.messages: dict[tuple[str, str], dict[str, Any]] = {}  # (channel, ts) → message
        self.scheduled: dict[str, dict[str, Any]] = {}
        self.views: dict[str, dict[str, Any]] = {}
        self.home_tabs: dict[str, dict[str, Any]] = {}
        self.files: dict[str, UploadedFile] = {}

        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, float] = {}
        self._triggers: dict[str, _Trigger] = {}
        self._response_urls: dict[str, _ResponseUrl] = {}
        self._stacks: dict[str, list[str]] = {}  # root view id → open view ids, bottom first
        self._dm_ids: dict[tuple[str, ...], str] = {}
        self._methods: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "auth.test": self._auth_test,
            "chat.postMessage": self._chat_post_message,
            "chat.postEphemeral": self._chat_post_ephemeral,
            "chat.update": self._chat_update,
            "chat.delete": self._chat_delete,
            "chat.getPermalink": self._chat_get_permalink,
            "chat.scheduleMessage": self._chat_schedule_message,
            "chat.deleteScheduledMessage": self._chat_delete_scheduled_message,
            "conversations.info": self._conversations_info,
            "conversations.members": self._conversations_members,
            "conversations.join": self._conversations_join,
            "conversations.open": self._conversations_open,
            "conversations.history": self._conversations_history,
            "users.info": self._users_info,
            "users.lookupByEmail": self._users_lookup_by_email,
            "views.open": self._views_open,
            "views.push": self._views_push,
            "views.update": self._views_update,
            "views.publish": self._views_publish,
            "files.getUploadURLExternal": self._files_get_upload_url_external,
            "files.completeUploadExternal": self._files_complete_upload_external,
        }

    # ---- lifecycle ------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is None:
            self._server = _Server(self)
            self._thread = threading.Thread(
                target=self._server.serve_forever, args=(0.05,), name="fake-slack", daemon=True
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._server.server_address[1])

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """Web API base URL for ``WebClient(base_url=...)`` (with the trailing slash)."""
        return f"{self.root_url}/api/"

    # ---- configuration --------------------------------------------------------------

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
        with self._lock:
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
        with self._lock:
            self.users[user_id] = user
        return user

    def issue_trigger_id(self, view_id: str | None = None) -> str:
        """A trigger id usable once within 3 s (by ``clock``). ``view_id`` names the view
        the interaction came from; views.push then pushes onto that view's stack (default:
        the most recently opened modal)."""
        with self._lock:
            trigger_id = f"{next(self._ids)}.{TEAM_ID}.fake{next(self._ids):06x}"
            self._triggers[trigger_id] = _Trigger(self._clock(), view_id)
        return trigger_id

    def new_response_url(self) -> str:
        """A response_url accepting 5 POSTs within 30 minutes (by ``clock``)."""
        with self._lock:
            url_id = f"R{next(self._ids):07d}"
            self._response_urls[url_id] = _ResponseUrl(self._clock())
        return f"{self.root_url}/response/{url_id}"

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next ``times`` calls to ``method`` with ``{"ok": false, "error": error}``.

        ``status`` defaults to 429 for ``ratelimited`` (sent with a ``Retry-After:
        retry_after`` header) and 200 otherwise; pass e.g. ``status=500`` for server errors.
        """
        fault = _Fault(error, status or (429 if error == "ratelimited" else 200), retry_after)
        with self._lock:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def delay(self, method: str, seconds: float) -> None:
        """Answer every later call to ``method`` after ``seconds`` (0 to stop)."""
        with self._lock:
            self._delays[method] = seconds

    def close_view(self, view_id: str) -> None:
        """Simulate the user closing (or submitting) ``view_id``: it and any views pushed
        on top of it leave the stack and ``views``."""
        with self._lock:
            view = self.views[view_id]
            stack = self._stacks.get(view["root_view_id"], [])
            if view_id in stack:
                index = stack.index(view_id)
                for closed in stack[index:]:
                    del self.views[closed]
                del stack[index:]
                if not stack:
                    del self._stacks[view["root_view_id"]]

    def reset(self) -> None:
        """Forget recorded calls and response_url posts, pending faults and delays.
        Configuration and Slack-side state (channels, users, messages, views, files) stay."""
        with self._lock:
            self.calls.clear()
            self.responses.clear()
            self._faults.clear()
            self._delays.clear()

    # ---- inspection -----------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [call for call in self.calls if call.method == method]

    def last(self, method: str) -> Call:
        calls = self.calls_to(method)
        if not calls:
            raise AssertionError(f"no call to {method}; calls: {self._called_methods()}")
        return calls[-1]

    def wait_for(self, method: str, count: int = 1, timeout: float = 5.0) -> list[Call]:
        """Poll until ``method`` was called at least ``count`` times; return all its calls."""
        return self._poll(lambda: self.calls_to(method), count, timeout, f"call(s) to {method}")

    def wait_for_responses(self, count: int = 1, timeout: float = 5.0) -> list[ResponsePost]:
        """Poll until at least ``count`` POSTs reached response URLs; return them all."""

        def posts() -> list[ResponsePost]:
            with self._lock:
                return list(self.responses)

        return self._poll(posts, count, timeout, "response_url post(s)")

    def messages_in(self, channel_id: str) -> list[dict[str, Any]]:
        """Messages currently stored in ``channel_id``, oldest first."""
        with self._lock:
            return [
                msg for (channel, _), msg in sorted(self.messages.items()) if channel == channel_id
            ]

    def _poll(self, get: Callable[[], list[_T]], count: int, timeout: float, what: str) -> list[_T]:
        deadline = time.monotonic() + timeout
        while True:
            found = get()
            if len(found) >= count:
                return found
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} {what} within {timeout}s, got {len(found)}; "
                    f"calls: {self._called_methods()}"
                )
            time.sleep(0.01)

    def _called_methods(self) -> list[str]:
        with self._lock:
            return [call.method for call in self.calls]

    # ---- request handling -----------------------------------------------------------

    def _handle(self, path: str, query: str, headers: Mapping[str, str], body: bytes) -> _Reply:
        """Route one HTTP request; ``headers`` has lower-case names."""
        if path.startswith("/api/"):
            return self._api(path.removeprefix("/api/"), query, headers, body)
        if path.startswith("/upload/"):
            return self._upload(path.removeprefix("/upload/"), body)
        if path.startswith("/response/"):
            return self._response_url(path.removeprefix("/response/"), headers, body)
        return 404, b"not_found", {"Content-Type": "text/plain"}

    def _api(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> _Reply:
        try:
            args = _parse_args(query, headers.get("content-type") or "", body)
            bad_request = False
        except ValueError:
            args, bad_request = {}, True
        authorization = headers.get("authorization") or ""
        token = authorization.removeprefix("Bearer ").strip() or _optional_text(args, "token")
        args.pop("token", None)

        with self._lock:
            pause = self._delays.get(method, 0.0)
        if pause > 0:
            time.sleep(pause)

        with self._lock:
            extra_headers: dict[str, str] = {}
            status = 200
            handler = self._methods.get(method)
            fault_queue = self._faults.get(method)
            if handler is None:
                reply: dict[str, Any] = {"ok": False, "error": "unknown_method"}
            elif not token:
                reply = {"ok": False, "error": "not_authed"}
            elif not self._token_ok(token):
                reply = {"ok": False, "error": "invalid_auth"}
            elif bad_request:
                reply = {"ok": False, "error": "invalid_json"}
            elif fault_queue:
                fault = fault_queue.popleft()
                status, reply = fault.status, {"ok": False, "error": fault.error}
                if fault.status == 429:
                    extra_headers["Retry-After"] = str(fault.retry_after)
            else:
                try:
                    reply = {"ok": True, **handler(args)}
                except _SlackError as exc:
                    reply = exc.body
            reply = copy.deepcopy(reply)
            self.calls.append(Call(method, copy.deepcopy(args), token, time.time(), status, reply))
        headers_out = {"Content-Type": "application/json; charset=utf-8", **extra_headers}
        return status, _json(reply), headers_out

    def _token_ok(self, token: str) -> bool:
        if self._tokens is None:
            return token.startswith("xoxb-")
        return token in self._tokens

    def _upload(self, file_id: str, body: bytes) -> _Reply:
        with self._lock:
            upload = self.files.get(file_id)
            if upload is None:
                return 404, b"file_not_found", {"Content-Type": "text/plain"}
            upload.content = body
        return 200, f"OK - {len(body)}".encode(), {"Content-Type": "text/plain"}

    def _response_url(self, url_id: str, headers: Mapping[str, str], body: bytes) -> _Reply:
        try:
            payload = _parse_args("", headers.get("content-type") or "", body)
        except ValueError:
            payload = {"raw": body.decode("utf-8", "replace")}
        with self._lock:
            entry = self._response_urls.get(url_id)
            if entry is None:
                status, answer = 404, "no_service"
            elif self._clock() - entry.issued_at > RESPONSE_URL_TTL_SECONDS:
                status, answer = 404, "expired_url"
            elif entry.uses >= RESPONSE_URL_MAX_USES:
                status, answer = 404, "used_url"
            else:
                entry.uses += 1
                status, answer = 200, "ok"
            self.responses.append(ResponsePost(url_id, payload, status, time.time()))
        return status, answer.encode(), {"Content-Type": "text/plain"}

    # ---- helpers for the method implementations (called with the lock held) ---------

    def _new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):07d}"

    def _next_ts(self) -> str:
        self._ts_micros += 100
        return f"{self._ts_micros // 1_000_000}.{self._ts_micros % 1_000_000:06d}"

    def _channel(self, channel_id: str) -> Channel:
        channel = self.channels.get(channel_id)
        if channel is None and channel_id and not self._strict_channels:
            channel = Channel(channel_id, channel_id.lower())
            self.channels[channel_id] = channel
        if channel is None or channel.missing:
            raise _SlackError("channel_not_found")
        return channel

    def _postable_channel(self, channel_id: str) -> Channel:
        channel = self._channel(channel_id)
        if channel.is_archived:
            raise _SlackError("is_archived")
        if not channel.is_member:
            raise _SlackError("not_in_channel")
        return channel

    def _stored_message(self, channel_id: str, ts: str) -> dict[str, Any]:
        message = self.messages.get((channel_id, ts))
        if message is None:
            raise _SlackError("message_not_found")
        return message

    @staticmethod
    def _check_message(args: Mapping[str, Any]) -> None:
        text, blocks = args.get("text"), args.get("blocks")
        if not text and not blocks and not args.get("attachments"):
            raise _SlackError("no_text")
        if isinstance(text, str) and len(text) > MESSAGE_TEXT_LIMIT:
            raise _SlackError("msg_too_long")
        if blocks is not None:
            errors = validate_blocks(blocks, "message")
            if errors:
                raise _invalid(errors, "invalid_blocks")

    @staticmethod
    def _message(args: Mapping[str, Any], ts: str) -> dict[str, Any]:
        message: dict[str, Any] = {
            "type": "message",
            "text": _text_arg(args, "text"),
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
        return message

    def _checked_view(
        self, args: Mapping[str, Any], surface: Literal["modal", "home"]
    ) -> dict[str, Any]:
        view = args.get("view")
        errors = validate_view(view, surface)
        if errors:
            raise _invalid(errors)
        assert isinstance(view, dict)  # validate_view reported anything else
        if len(json.dumps(view)) > VIEW_MAX_BYTES:
            raise _SlackError("view_too_large")
        external_id = view.get("external_id")
        if external_id and any(
            v.get("external_id") == external_id and v["id"] != args.get("view_id")
            for v in self.views.values()
        ):
            raise _SlackError("duplicate_external_id")
        return view

    def _exchange_trigger(self, args: Mapping[str, Any]) -> _Trigger:
        trigger = self._triggers.get(_text_arg(args, "trigger_id"))
        if trigger is None:
            raise _SlackError("invalid_trigger_id")
        if trigger.used:
            raise _SlackError("exchanged_trigger_id")
        if self._clock() - trigger.issued_at > TRIGGER_TTL_SECONDS:
            raise _SlackError("expired_trigger_id")
        trigger.used = True
        return trigger

    def _store_view(
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
            "blocks": _with_block_ids(submitted.get("blocks", [])),
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

    # ---- Web API methods (called with the lock held) --------------------------------

    def _auth_test(self, args: dict[str, Any]) -> dict[str, Any]:
        return {
            "url": f"https://{TEAM_DOMAIN}.slack.com/",
            "team": "PSIF Test",
            "user": self.users[BOT_USER_ID].name,
            "team_id": TEAM_ID,
            "user_id": BOT_USER_ID,
            "bot_id": BOT_ID,
            "is_enterprise_install": False,
        }

    def _chat_post_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable_channel(_text_arg(args, "channel"))
        self._check_message(args)
        ts = self._next_ts()
        message = self._message(args, ts)
        self.messages[(channel.id, ts)] = message
        return {"channel": channel.id, "ts": ts, "message": message}

    def _chat_post_ephemeral(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable_channel(_text_arg(args, "channel"))
        user = _text_arg(args, "user")
        if not user:
            raise _SlackError("user_not_found")
        if channel.members and user not in channel.members:
            raise _SlackError("user_not_in_channel")
        self._check_message(args)
        return {"message_ts": self._next_ts()}

    def _chat_update(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(_text_arg(args, "channel"))
        if channel.is_archived:
            raise _SlackError("is_archived")
        ts = _text_arg(args, "ts")
        message = self._stored_message(channel.id, ts)
        self._check_message(args)
        for key in ("text", "blocks", "attachments", "metadata"):
            if key in args:
                message[key] = copy.deepcopy(args[key])
        message["edited"] = {"user": BOT_USER_ID, "ts": self._next_ts()}
        return {"channel": channel.id, "ts": ts, "text": message["text"], "message": message}

    def _chat_delete(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(_text_arg(args, "channel"))
        ts = _text_arg(args, "ts")
        self._stored_message(channel.id, ts)
        del self.messages[(channel.id, ts)]
        return {"channel": channel.id, "ts": ts}

    def _chat_get_permalink(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(_text_arg(args, "channel"))
        ts = _text_arg(args, "message_ts")
        self._stored_message(channel.id, ts)
        permalink = f"https://{TEAM_DOMAIN}.slack.com/archives/{channel.id}/p{ts.replace('.', '')}"
        return {"channel": channel.id, "permalink": permalink}

    def _chat_schedule_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._postable_channel(_text_arg(args, "channel"))
        self._check_message(args)
        try:
            post_at = int(args["post_at"])
        except (KeyError, TypeError, ValueError):
            raise _SlackError("invalid_time") from None
        now = time.time()
        if post_at <= now:
            raise _SlackError("time_in_past")
        if post_at > now + SCHEDULE_MAX_AHEAD_SECONDS:
            raise _SlackError("time_too_far")
        scheduled_id = self._new_id("Q")
        message = self._message(args, "")
        del message["ts"]
        self.scheduled[scheduled_id] = {
            "id": scheduled_id,
            "channel_id": channel.id,
            "post_at": post_at,
            "date_created": int(now),
            "message": message,
        }
        return {
            "channel": channel.id,
            "scheduled_message_id": scheduled_id,
            "post_at": post_at,
            "message": message,
        }

    def _chat_delete_scheduled_message(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(_text_arg(args, "channel"))
        scheduled = self.scheduled.get(_text_arg(args, "scheduled_message_id"))
        if scheduled is None or scheduled["channel_id"] != channel.id:
            raise _SlackError("invalid_scheduled_message_id")
        del self.scheduled[scheduled["id"]]
        return {}

    def _conversations_info(self, args: dict[str, Any]) -> dict[str, Any]:
        return {"channel": self._channel(_text_arg(args, "channel")).to_api()}

    def _conversations_members(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(_text_arg(args, "channel"))
        return {"members": channel.member_ids(), "response_metadata": {"next_cursor": ""}}

    def _conversations_join(self, args: dict[str, Any]) -> dict[str, Any]:
        channel = self._channel(_text_arg(args, "channel"))
        if channel.is_archived:
            raise _SlackError("is_archived")
        if channel.id.startswith(("D", "G")):
            raise _SlackError("method_not_supported_for_channel_type")
        if channel.is_member:
            return {
                "channel": channel.to_api(),
                "warning": "already_in_channel",
                "response_metadata": {"warnings": ["already_in_channel"]},
            }
        channel.is_member = True
        return {"channel": channel.to_api()}

    def _conversations_open(self, args: dict[str, Any]) -> dict[str, Any]:
        if args.get("channel"):
            return {"channel": {"id": self._channel(_text_arg(args, "channel")).id}}
        users = tuple(sorted(u.strip() for u in _text_arg(args, "users").split(",") if u.strip()))
        if not users:
            raise _SlackError("users_list_not_supplied")
        existing = self._dm_ids.get(users)
        if existing is not None:
            return {"channel": {"id": existing}, "no_op": True, "already_open": True}
        channel_id = self._new_id("D" if len(users) == 1 else "G")
        self._dm_ids[users] = channel_id
        self.channels[channel_id] = Channel(
            channel_id,
            "-".join(users),
            members=list(users),
            user=users[0] if len(users) == 1 else None,
        )
        return {"channel": {"id": channel_id}}

    def _conversations_history(self, args: dict[str, Any]) -> dict[str, Any]:
        """Newest first; ``oldest``/``latest`` bound the ts (exclusive, as Slack's default);
        metadata only with ``include_all_metadata``."""
        channel = self._channel(_text_arg(args, "channel"))
        if not channel.is_member and not channel.id.startswith("D"):
            raise _SlackError("not_in_channel")
        oldest = float(args.get("oldest") or 0)
        latest = float(args.get("latest") or "inf")
        limit = int(args.get("limit") or 100)
        with_metadata = str(args.get("include_all_metadata", "")).lower() in ("1", "true")
        found = []
        for (channel_id, ts), message in sorted(self.messages.items(), reverse=True):
            if channel_id == channel.id and oldest < float(ts) < latest:
                shown = dict(message)
                if not with_metadata:
                    shown.pop("metadata", None)
                found.append(shown)
        return {"messages": found[:limit], "has_more": len(found) > limit}

    def _users_info(self, args: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(_text_arg(args, "user"))
        if user is None:
            raise _SlackError("user_not_found")
        return {"user": user.to_api()}

    def _users_lookup_by_email(self, args: dict[str, Any]) -> dict[str, Any]:
        email = _text_arg(args, "email").lower()
        for user in self.users.values():
            if user.email is not None and user.email.lower() == email:
                return {"user": user.to_api()}
        raise _SlackError("users_not_found")

    def _views_open(self, args: dict[str, Any]) -> dict[str, Any]:
        submitted = self._checked_view(args, "modal")
        self._exchange_trigger(args)
        view_id = self._new_id("V")
        self._stacks[view_id] = [view_id]
        return {"view": self._store_view(submitted, view_id, view_id, None)}

    def _views_push(self, args: dict[str, Any]) -> dict[str, Any]:
        submitted = self._checked_view(args, "modal")
        trigger = self._exchange_trigger(args)
        if trigger.view_id is not None and trigger.view_id in self.views:
            root_view_id = self.views[trigger.view_id]["root_view_id"]
        elif self._stacks:
            root_view_id = next(reversed(self._stacks))
        else:
            raise _SlackError("not_found")
        stack = self._stacks.get(root_view_id)
        if stack is None:
            raise _SlackError("not_found")
        if len(stack) >= VIEW_STACK_LIMIT:
            raise _SlackError("push_limit_reached")
        view_id = self._new_id("V")
        view = self._store_view(submitted, view_id, root_view_id, stack[-1])
        stack.append(view_id)
        return {"view": view}

    def _views_update(self, args: dict[str, Any]) -> dict[str, Any]:
        view_id, external_id = _text_arg(args, "view_id"), _text_arg(args, "external_id")
        current = (
            self.views.get(view_id)
            if view_id
            else next(
                (v for v in self.views.values() if external_id and v["external_id"] == external_id),
                None,
            )
        )
        if current is None:
            raise _SlackError("not_found")
        if args.get("hash") and args["hash"] != current["hash"]:
            raise _SlackError("hash_conflict")
        submitted = self._checked_view({**args, "view_id": current["id"]}, current["type"])
        view = self._store_view(
            submitted, current["id"], current["root_view_id"], current["previous_view_id"]
        )
        view["state"] = current["state"]
        view["external_id"] = view["external_id"] or current["external_id"]
        for user_id, home in self.home_tabs.items():
            if home["id"] == view["id"]:
                self.home_tabs[user_id] = view
        return {"view": view}

    def _views_publish(self, args: dict[str, Any]) -> dict[str, Any]:
        user_id = _text_arg(args, "user_id")
        if not user_id:
            raise _invalid(["missing required field: user_id [json-pointer:/user_id]"])
        current = self.home_tabs.get(user_id)
        if current is not None and args.get("hash") and args["hash"] != current["hash"]:
            raise _SlackError("hash_conflict")
        view_id = current["id"] if current is not None else self._new_id("V")
        submitted = self._checked_view({**args, "view_id": view_id}, "home")
        view = self._store_view(submitted, view_id, view_id, None)
        self.home_tabs[user_id] = view
        return {"view": view}

    def _files_get_upload_url_external(self, args: dict[str, Any]) -> dict[str, Any]:
        filename = _text_arg(args, "filename")
        try:
            length = int(args["length"])
        except (KeyError, TypeError, ValueError):
            length = 0
        if not filename or length <= 0:
            raise _invalid(["filename and a positive length are required"])
        file_id = self._new_id("F")
        self.files[file_id] = UploadedFile(
            file_id,
            filename,
            length,
            _optional_text(args, "alt_txt"),
            _optional_text(args, "snippet_type"),
        )
        return {"upload_url": f"{self.root_url}/upload/{file_id}", "file_id": file_id}

    def _files_complete_upload_external(self, args: dict[str, Any]) -> dict[str, Any]:
        entries = args.get("files")
        if not isinstance(entries, list) or not entries:
            raise _invalid(["files must be a non-empty JSON array [json-pointer:/files]"])
        uploads: list[tuple[UploadedFile, str | None]] = []
        for entry in entries:
            upload = self.files.get(str(entry.get("id"))) if isinstance(entry, dict) else None
            if upload is None or upload.content is None:
                raise _SlackError("file_not_found")
            uploads.append((upload, entry.get("title")))
        channel_id = _optional_text(args, "channel_id")
        channels = [c for c in _text_arg(args, "channels").split(",") if c]
        if channel_id is not None:
            channels.insert(0, channel_id)
        for channel in channels:
            self._postable_channel(channel)
        answer: list[dict[str, Any]] = []
        for upload, title in uploads:
            upload.title = title or upload.filename
            upload.channel_id = channels[0] if channels else None
            upload.channels = channels
            upload.initial_comment = _optional_text(args, "initial_comment")
            upload.thread_ts = _optional_text(args, "thread_ts")
            upload.completed = True
            answer.append(
                {
                    "id": upload.id,
                    "name": upload.filename,
                    "title": upload.title,
                    "mimetype": mimetypes.guess_type(upload.filename)[0]
                    or "application/octet-stream",
                    "size": len(upload.content or b""),
                    "channels": channels,
                    "permalink": f"https://{TEAM_DOMAIN}.slack.com/files/{BOT_USER_ID}/{upload.id}",
                }
            )
        return {"files": answer}
