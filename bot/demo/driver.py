"""Talk to the running bot the way Slack does: signed HTTP requests with real payload shapes.

Payload shapes follow Slack's documentation and bolt-python's test fixtures: slash commands
are form-encoded; interactions are a form field `payload` holding JSON; events are JSON.
Modal state is filled in as Slack's client fills it (`bot.demo.view_state`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.demo.fake_slack import FakeSlack
from bot.demo.view_state import find_element, view_state

TEAM = {"id": "T0001", "domain": "psif-test"}
APP_ID = "A0PSIF"


@dataclass
class HttpReply:
    status: int
    body: bytes
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackDriver:
    """Sends Slack's requests to the bot's /slack/events endpoint."""

    def __init__(
        self,
        base_url: str,
        signing_secret: str,
        fake: FakeSlack,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = base_url.rstrip("/") + "/slack/events"
        self.secret = signing_secret
        self.fake = fake
        self.clock = clock
        self._event_counter = 0

    # -- transport ------------------------------------------------------------------------
    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpReply:
        timestamp = timestamp or str(int(self.clock()))
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": signature or sign(self.secret, timestamp, body),
                **(headers or {}),
            },
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                reply = HttpReply(response.status, response.read(), time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return HttpReply(error.code, error.read(), time.perf_counter() - started)
        self._show_command_answer(body, content_type, reply)
        return reply

    def _show_command_answer(self, body: bytes, content_type: str, reply: HttpReply) -> None:
        """A slash command answered in its acknowledgement: Slack shows the answer to the
        person just as a post to the command's response_url, so the fake records it so."""
        if reply.status != 200 or not reply.body.strip() or "form" not in content_type:
            return
        fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        response_url = (fields.get("response_url") or [""])[0]
        if "command" in fields and response_url:
            self.fake.record_acknowledgement(response_url, reply.json())

    def post_form(self, fields: dict[str, str], **kwargs: Any) -> HttpReply:
        body = urllib.parse.urlencode(fields).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def post_interaction(self, payload: dict[str, Any], **kwargs: Any) -> HttpReply:
        return self.post_form({"payload": json.dumps(payload)}, **kwargs)

    # -- slash commands -------------------------------------------------------------------
    def command(
        self,
        command: str,
        text: str = "",
        *,
        user: str = "UHOST",
        channel: str = "CREVIEW",
        channel_name: str = "psif-review",
        team_id: str = TEAM["id"],
        **kwargs: Any,
    ) -> tuple[HttpReply, str, str]:
        """Send a slash command; return (reply, trigger_id, response_url). Another `team_id`
        sends it as a Slack Connect user from that workspace would."""
        trigger_id = self.fake.issue_trigger_id()
        response_url = self.fake.new_response_url()
        fields = {
            "token": "legacy-verification-token",
            "team_id": team_id,
            "team_domain": TEAM["domain"] if team_id == TEAM["id"] else "partner",
            "channel_id": channel,
            "channel_name": channel_name,
            "user_id": user,
            "user_name": user.lower(),
            "command": command,
            "text": text,
            "api_app_id": APP_ID,
            "is_enterprise_install": "false",
            "response_url": response_url,
            "trigger_id": trigger_id,
        }
        return self.post_form(fields, **kwargs), trigger_id, response_url

    # -- interactions ---------------------------------------------------------------------
    def _user(self, user: str) -> dict[str, str]:
        return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM["id"]}

    def click_in_message(
        self,
        message: dict[str, Any],
        action_id: str,
        *,
        user: str,
        channel: str,
        response_url: str | None = None,
        value: str | None = None,
        selected_option: dict[str, Any] | None = None,
        ephemeral: bool | None = None,
        action_ts: str | None = None,
    ) -> HttpReply:
        """Click a button (or pick an overflow option) in a posted or ephemeral message.

        A given `response_url` marks the message ephemeral unless `ephemeral` says otherwise
        (a channel message's clicks get a fresh response_url too). `action_ts` repeats an
        earlier click, as a redelivery would.
        """
        block_id, element = find_element(message.get("blocks", []), action_id, value)
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id,
            "type": element["type"],
            "action_ts": action_ts or f"{time.time():.6f}",
        }
        if element["type"] == "button":
            action["text"] = element["text"]
            if "value" in element:
                action["value"] = element["value"]
        if element["type"] == "overflow" and selected_option is None:
            selected_option = next(o for o in element["options"] if o["value"] == value)
        if selected_option is not None:
            action["selected_option"] = selected_option
        ts = message.get("ts", "1700000000.000100")
        payload: dict[str, Any] = {
            "type": "block_actions",
            "user": self._user(user),
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "container": {
                "type": "message",
                "message_ts": ts,
                "channel_id": channel,
                "is_ephemeral": response_url is not None if ephemeral is None else ephemeral,
            },
            "trigger_id": self.fake.issue_trigger_id(),
            "team": TEAM,
            "enterprise": None,
            "is_enterprise_install": False,
            "channel": {"id": channel, "name": "psif-review"},
            "message": {
                "type": "message",
                "ts": ts,
                "text": message.get("text", ""),
                "blocks": message.get("blocks", []),
            },
            "state": {"values": {}},
            "response_url": response_url or self.fake.new_response_url(),
            "actions": [action],
        }
        return self.post_interaction(payload)

    def act_in_view(
        self,
        view: dict[str, Any],
        block_id_prefix: str,
        *,
        user: str,
        inputs: dict[str, Any] | None = None,
        value: Any = None,
    ) -> HttpReply:
        """An interaction inside a modal (a dispatching input or a button)."""
        state = view_state(view, inputs or {})
        block = next(
            b for b in view["blocks"] if b.get("block_id", "").split(":")[0] == block_id_prefix
        )
        element = block.get("element") or block.get("accessory") or block["elements"][0]
        action: dict[str, Any] = {
            "action_id": element["action_id"],
            "block_id": block["block_id"],
            "type": element["type"],
            "action_ts": f"{time.time():.6f}",
        }
        if element["type"] == "datepicker":
            action["selected_date"] = value
            action["initial_date"] = element.get("initial_date")
        elif value is not None:
            action["value"] = value
        payload = {
            "type": "block_actions",
            "user": self._user(user),
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": self.fake.issue_trigger_id(),
            "team": TEAM,
            "enterprise": None,
            "is_enterprise_install": False,
            "view": {**view, "state": {"values": state}},
            "actions": [action],
        }
        return self.post_interaction(payload)

    def click_in_home(
        self,
        action_id: str,
        *,
        user: str,
        value: str | None = None,
        selected_option: dict[str, Any] | None = None,
    ) -> HttpReply:
        """Click a button (or pick an overflow option) in the user's published Home tab.

        As from Slack, the payload has the home view as container and no response_url.
        """
        view = self.fake.home_tabs[user]
        block_id, element = find_element(view.get("blocks", []), action_id, value)
        action: dict[str, Any] = {
            "action_id": action_id,
            "block_id": block_id,
            "type": element["type"],
            "action_ts": f"{time.time():.6f}",
        }
        if element["type"] == "button":
            action["text"] = element["text"]
            if "value" in element:
                action["value"] = element["value"]
        if element["type"] == "overflow" and selected_option is None:
            selected_option = next(o for o in element["options"] if o["value"] == value)
        if selected_option is not None:
            action["selected_option"] = selected_option
        payload = {
            "type": "block_actions",
            "user": self._user(user),
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "container": {"type": "view", "view_id": view["id"]},
            "trigger_id": self.fake.issue_trigger_id(),
            "team": TEAM,
            "enterprise": None,
            "is_enterprise_install": False,
            "view": view,
            "actions": [action],
        }
        return self.post_interaction(payload)

    def submit_view(self, view: dict[str, Any], inputs: dict[str, Any], *, user: str) -> HttpReply:
        """Submit a modal as Slack does, with the state of every input block."""
        payload = {
            "type": "view_submission",
            "team": TEAM,
            "user": self._user(user),
            "api_app_id": APP_ID,
            "token": "legacy-verification-token",
            "trigger_id": self.fake.issue_trigger_id(),
            "view": {**view, "state": {"values": view_state(view, inputs)}},
            "response_urls": [],
            "is_enterprise_install": False,
            "enterprise": None,
        }
        return self.post_interaction(payload)

    # -- events ---------------------------------------------------------------------------
    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> HttpReply:
        self._event_counter += 1
        body = {
            "token": "legacy-verification-token",
            "team_id": TEAM["id"],
            "api_app_id": APP_ID,
            "event": event,
            "type": "event_callback",
            "event_id": event_id or f"Ev{self._event_counter:08d}",
            "event_time": int(time.time()),
            "authorizations": [
                {
                    "enterprise_id": None,
                    "team_id": TEAM["id"],
                    "user_id": "UBOT",
                    "is_bot": True,
                    "is_enterprise_install": False,
                }
            ],
            "is_ext_shared_channel": False,
        }
        headers = {}
        timestamp = None
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            # Slack retries later, with a fresh timestamp and so a fresh signature.
            timestamp = str(int(self.clock()) + 60 * retry_num)
        return self.post(
            json.dumps(body).encode(), "application/json", headers=headers, timestamp=timestamp
        )

    def open_home(self, user: str) -> HttpReply:
        return self.event(
            {
                "type": "app_home_opened",
                "user": user,
                "channel": "DHOME",
                "tab": "home",
                "event_ts": f"{time.time():.6f}",
            }
        )
