"""The payloads Slack sends to a bot, built as Slack builds them.

Shapes follow Slack's documentation and bolt-python's test fixtures: slash commands are
form fields; interactions (`block_actions`, `view_submission`) and events are JSON. Modal
state is filled in as Slack's client fills it (`bot.demo.view_state`). Trigger ids and
response URLs come from the fake Slack, so the caller issues them and passes them in.
"""

from __future__ import annotations

import time
from typing import Any

from bot.demo.view_state import find_element, view_state

TEAM = {"id": "T0001", "domain": "psif-test"}
APP_ID = "A0PSIF"
_VERIFICATION_TOKEN = "legacy-verification-token"


def command_fields(
    command: str,
    text: str,
    *,
    user: str,
    channel: str,
    channel_name: str,
    team_id: str,
    trigger_id: str,
    response_url: str,
) -> dict[str, str]:
    """A slash command's form fields; another `team_id` sends it as a Slack Connect user
    from that workspace would."""
    return {
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


def clicked_action(
    blocks: list[dict[str, Any]],
    action_id: str,
    *,
    value: str | None,
    selected_option: dict[str, Any] | None,
    action_ts: str | None = None,
) -> dict[str, Any]:
    """The action of clicking a button (or picking an overflow option) among `blocks`."""
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


def message_click(
    message: dict[str, Any],
    action: dict[str, Any],
    *,
    user: str,
    channel: str,
    is_ephemeral: bool,
    trigger_id: str,
    response_url: str,
) -> dict[str, Any]:
    """The `block_actions` payload of an action in a posted or ephemeral message."""
    ts = message.get("ts", "1700000000.000100")
    return {
        "type": "block_actions",
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": _VERIFICATION_TOKEN,
        "container": {
            "type": "message",
            "message_ts": ts,
            "channel_id": channel,
            "is_ephemeral": is_ephemeral,
        },
        "trigger_id": trigger_id,
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
        "response_url": response_url,
        "actions": [action],
    }


def view_action(view: dict[str, Any], block_id_prefix: str, value: Any) -> dict[str, Any]:
    """The action of a dispatching input or a button in the modal's block `block_id_prefix`."""
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
    return action


def view_click(
    view: dict[str, Any], action: dict[str, Any], *, user: str, trigger_id: str
) -> dict[str, Any]:
    """The `block_actions` payload of an action in a modal or the Home tab: the view is the
    container, and there is no response_url."""
    return {
        "type": "block_actions",
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": _VERIFICATION_TOKEN,
        "container": {"type": "view", "view_id": view["id"]},
        "trigger_id": trigger_id,
        "team": TEAM,
        "enterprise": None,
        "is_enterprise_install": False,
        "view": view,
        "actions": [action],
    }


def view_submission(
    view: dict[str, Any], inputs: dict[str, Any], *, user: str, trigger_id: str
) -> dict[str, Any]:
    """The `view_submission` payload of a modal, with the state of every input block."""
    return {
        "type": "view_submission",
        "team": TEAM,
        "user": _user(user),
        "api_app_id": APP_ID,
        "token": _VERIFICATION_TOKEN,
        "trigger_id": trigger_id,
        "view": {**view, "state": {"values": view_state(view, inputs)}},
        "response_urls": [],
        "is_enterprise_install": False,
        "enterprise": None,
    }


def event_callback(event: dict[str, Any], *, event_id: str) -> dict[str, Any]:
    """The Events API envelope of `event`, as the bot's own workspace sends it."""
    return {
        "token": _VERIFICATION_TOKEN,
        "team_id": TEAM["id"],
        "api_app_id": APP_ID,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
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


def app_home_opened(user: str) -> dict[str, Any]:
    return {
        "type": "app_home_opened",
        "user": user,
        "channel": "DHOME",
        "tab": "home",
        "event_ts": f"{time.time():.6f}",
    }


def _user(user: str) -> dict[str, str]:
    return {"id": user, "username": user.lower(), "name": user.lower(), "team_id": TEAM["id"]}
