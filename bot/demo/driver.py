"""Talk to the running bot the way Slack does: signed requests to its /slack/events endpoint
carrying the payloads Slack sends (shapes from Slack's documentation and bolt-python's fixtures),
with trigger ids and response URLs from the fake Slack."""

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

TEAM = {"id": "T0001", "domain": "psif-test"}
APP_ID = "A0PSIF"
_VERIFICATION_TOKEN = "legacy-verification-token"
# The elements beside a section whose choice Slack reports in a submitted modal's state.
_STATEFUL_ACCESSORIES = frozenset(
    {"radio_buttons", "static_select", "checkboxes", "datepicker", "users_select"}
)


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
        # A slash command answered in its acknowledgement: Slack shows the answer to the
        # person just as a post to the command's response_url, so the fake records it so.
        if reply.status == 200 and reply.body.strip() and "form" in content_type:
            fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
            response_url = (fields.get("response_url") or [""])[0]
            if "command" in fields and response_url:
                self.fake.record_acknowledgement(response_url, reply.json())
        return reply

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
            "token": _VERIFICATION_TOKEN,
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

        A given `response_url` marks the message ephemeral unless `ephemeral` says otherwise;
        `action_ts` repeats an earlier click, as a redelivery would."""
        ts = message.get("ts", "1700000000.000100")
        blocks = message.get("blocks", [])
        container = {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": response_url is not None if ephemeral is None else ephemeral,
        }
        return self._interaction(
            "block_actions",
            user,
            container=container,
            channel={"id": channel, "name": "psif-review"},
            message={
                "type": "message",
                "ts": ts,
                "text": message.get("text", ""),
                "blocks": blocks,
            },
            state={"values": {}},
            response_url=response_url or self.fake.new_response_url(),
            actions=[_clicked(blocks, action_id, value, selected_option, action_ts)],
        )

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
        block = next(b for b in view["blocks"] if field_name(b) == block_id_prefix)
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
        state = {"values": view_state(view, inputs or {})}
        return self._click_in_view({**view, "state": state}, action, user)

    def click_in_home(
        self,
        action_id: str,
        *,
        user: str,
        value: str | None = None,
        selected_option: dict[str, Any] | None = None,
    ) -> HttpReply:
        """Click a button (or pick an overflow option) in the user's published Home tab."""
        view = self.fake.home_tabs[user]
        action = _clicked(view.get("blocks", []), action_id, value, selected_option)
        return self._click_in_view(view, action, user)

    def _click_in_view(self, view: dict[str, Any], action: dict[str, Any], user: str) -> HttpReply:
        container = {"type": "view", "view_id": view["id"]}
        return self._interaction(
            "block_actions", user, container=container, view=view, actions=[action]
        )

    def _interaction(self, kind: str, user: str, **more: Any) -> HttpReply:
        payload = {
            "type": kind,
            "user": _user(user),
            "api_app_id": APP_ID,
            "token": _VERIFICATION_TOKEN,
            "trigger_id": self.fake.issue_trigger_id(),
            "team": TEAM,
            "enterprise": None,
            "is_enterprise_install": False,
            **more,
        }
        return self.post_interaction(payload)

    def submit_view(self, view: dict[str, Any], inputs: dict[str, Any], *, user: str) -> HttpReply:
        state = {"values": view_state(view, inputs)}
        return self._interaction(
            "view_submission", user, view={**view, "state": state}, response_urls=[]
        )

    # -- events ---------------------------------------------------------------------------
    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> HttpReply:
        self._event_counter += 1
        body = {
            "token": _VERIFICATION_TOKEN,
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
        home = {"type": "app_home_opened", "user": user, "channel": "DHOME", "tab": "home"}
        return self.event({**home, "event_ts": f"{time.time():.6f}"})


def _user(user: str) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM["id"]}


def field_name(block: dict[str, Any]) -> str:
    return str(block.get("block_id", "")).split(":")[0]


def _clicked(
    blocks: list[dict[str, Any]],
    action_id: str,
    value: str | None,
    selected_option: dict[str, Any] | None,
    action_ts: str | None = None,
) -> dict[str, Any]:
    block_id, element = find_element(blocks, action_id, value)
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
    return action


# ---- Slack's client side of Block Kit -------------------------------------------------------


def find_element(
    blocks: list[dict[str, Any]], action_id: str, value: str | None = None
) -> tuple[str, dict[str, Any]]:
    """The (block id, element) of the element `action_id` (with `value`, if given)."""
    for block in blocks:
        for element in [*block.get("elements", []), block.get("accessory") or {}]:
            options = [option.get("value") for option in element.get("options", [])]
            if element.get("action_id") == action_id and (
                value is None or element.get("value") == value or value in options
            ):
                return block.get("block_id", "b"), element
    raise AssertionError(f"no element {action_id!r} (value {value!r}) in the blocks")


def options_of(element: dict[str, Any]) -> list[dict[str, Any]]:
    """A select's or choice's options, those in option groups included, in order."""
    groups = element.get("option_groups", [])
    return [*element.get("options", []), *(o for group in groups for o in group["options"])]


def view_state(view: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    """Slack's `view.state.values` for a modal, from field name (block_id before any ':') →
    value; untouched inputs keep their initial value, and None clears one."""
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") == "input":
            element = block["element"]
        elif block.get("accessory", {}).get("type") in _STATEFUL_ACCESSORIES:
            element = block["accessory"]  # Slack reports a choice beside a section too
        else:
            continue
        given = inputs[field_name(block)] if field_name(block) in inputs else _initial(element)
        values[block["block_id"]] = {element["action_id"]: _state(element, given)}
    return values


_ONE_OPTION, _OPTIONS = ("static_select", "radio_buttons"), ("multi_static_select", "checkboxes")
# Any other input's kind → where it keeps its initial value, and Slack's key for its value.
_VALUE_KEYS = {
    "datepicker": ("initial_date", "selected_date"),
    "users_select": ("initial_user", "selected_user"),
    "multi_users_select": ("initial_users", "selected_users"),
    "plain_text_input": ("initial_value", "value"),
    "file_input": ("initial_value", "files"),  # as Slack describes them (FakeSlack.user_uploads)
}


def _initial(element: dict[str, Any]) -> Any:
    kind = element["type"]
    if kind in _ONE_OPTION:
        chosen = element.get("initial_option")
        return chosen["value"] if chosen else None
    if kind in _OPTIONS:
        return [option["value"] for option in element.get("initial_options", [])]
    return element.get(_VALUE_KEYS.get(kind, ("initial_value",))[0])


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    for option in options_of(element):
        if option["value"] == value:
            return dict(option)
    raise AssertionError(f"{value!r} is not an option of {element['action_id']}")


def _state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = element["type"]
    if kind in _ONE_OPTION:
        return {"type": kind, "selected_option": _option(element, value) if value else None}
    if kind in _OPTIONS:
        return {"type": kind, "selected_options": [_option(element, v) for v in value or []]}
    if kind not in _VALUE_KEYS:
        raise AssertionError(f"driver does not know how to fill {kind}")
    many = kind in ("multi_users_select", "file_input")
    return {"type": kind, _VALUE_KEYS[kind][1]: list(value or []) if many else value}
