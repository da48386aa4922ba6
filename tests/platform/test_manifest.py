"""The Slack app manifest a user pastes must be one Slack accepts."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import yaml

from bot.slack.installations import INSTALL_PATH, REDIRECT_PATH
from bot.web import SLACK_PATH

MANIFEST = Path(__file__).resolve().parents[2] / "manifest.yml"


def load() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load(MANIFEST.read_text())
    return data


def test_manifest_declares_the_three_commands_within_slacks_limits() -> None:
    manifest = load()
    assert len(manifest["display_information"]["name"]) <= 35
    commands = manifest["features"]["slash_commands"]
    assert [c["command"] for c in commands] == ["/psif", "/afi", "/action"]
    for command in commands:
        assert len(command["command"]) <= 32 and command["description"]
        assert command["usage_hint"]
        # Without escaping, "@name" arrives as plain text and `/psif invite @a` can't work.
        assert command["should_escape"] is True


def test_manifest_has_events_interactivity_and_scopes_the_bot_uses() -> None:
    manifest = load()
    assert manifest["settings"]["event_subscriptions"]["bot_events"] == [
        "app_home_opened",
        "app_uninstalled",
        "tokens_revoked",
    ]
    assert manifest["settings"]["interactivity"]["is_enabled"] is True
    scopes = set(manifest["oauth_config"]["scopes"]["bot"])
    assert {"commands", "chat:write", "im:write", "users:read", "files:write"} <= scopes
    assert manifest["features"]["app_home"]["home_tab_enabled"] is True


def test_psif_asks_slack_to_send_mentions_as_user_ids() -> None:
    # Without escaping, "/psif invite @ann" arrives as the plain text "@ann", which names
    # nobody; with it, Slack sends "<@U123|ann>".
    psif = next(c for c in load()["features"]["slash_commands"] if c["command"] == "/psif")
    assert psif["should_escape"] is True


# The bot token scope each Slack Web API method the bot calls needs (Slack's method pages).
SCOPES_BY_METHOD: dict[str, set[str]] = {
    "auth_test": set(),
    "chat_postMessage": {"chat:write", "chat:write.public"},
    "chat_getPermalink": set(),
    "chat_update": {"chat:write"},
    "conversations_history": {"channels:history", "groups:history", "im:history"},
    "conversations_info": {"channels:read", "groups:read"},
    "conversations_open": {"im:write"},
    "files_info": {"files:read"},
    "files_upload_v2": {"files:write"},
    "files_get_upload_url_external": {"files:write"},
    "files_complete_upload_external": {"files:write"},
    "usergroups_users_list": {"usergroups:read"},
    "users_info": {"users:read"},
    "views_open": set(),
    "views_publish": set(),
    "views_update": set(),
}
ROOT = MANIFEST.parent
SLACK_METHOD_CALL = re.compile(
    r"\.((?:auth|chat|conversations|files|usergroups|users|views)_[A-Za-z]+)\("
)


def methods_the_bot_calls() -> set[str]:
    called: set[str] = set()
    for package in ("bot", "handlers", "scheduler"):
        for source in (ROOT / package).rglob("*.py"):
            if "demo" not in source.parts:  # the demo's stand-in for Slack answers them
                called |= set(SLACK_METHOD_CALL.findall(source.read_text()))
    return called


def test_every_slack_method_the_bot_calls_has_its_scope_in_the_manifest() -> None:
    called = methods_the_bot_calls()
    unknown = called - SCOPES_BY_METHOD.keys()
    assert not unknown, f"add the scopes {sorted(unknown)} need to SCOPES_BY_METHOD"
    granted = set(load()["oauth_config"]["scopes"]["bot"])
    needed = {"commands"}.union(*(SCOPES_BY_METHOD[method] for method in called))
    assert needed <= granted, f"manifest.yml lacks {sorted(needed - granted)}"


def test_people_can_type_commands_in_the_bots_direct_message() -> None:
    # The README: "Any command typed in the bot's direct message … shows your own reviews"; a
    # read-only Messages tab has no box to type in.
    app_home = load()["features"]["app_home"]
    assert app_home["messages_tab_enabled"] is True
    assert app_home["messages_tab_read_only_enabled"] is False


def test_the_manifest_starts_in_socket_mode_with_http_addresses_ready_to_uncomment() -> None:
    manifest = load()
    assert manifest["settings"]["socket_mode_enabled"] is True  # the README's first run
    text = MANIFEST.read_text()
    request_urls = re.findall(r"#\s*(?:url|request_url):\s*(\S+)", text)
    # One per slash command, the events and interactivity.
    assert len(request_urls) == len(manifest["features"]["slash_commands"]) + 2
    assert set(request_urls) == {f"https://psif.example.org{SLACK_PATH}"}
    redirects = re.findall(r"#\s*-\s*(https://\S+)", text)
    assert redirects == [f"https://psif.example.org{REDIRECT_PATH}"]
    assert f"https://psif.example.org{INSTALL_PATH}" in text


def test_every_command_the_readme_shows_is_one_the_manifest_declares() -> None:
    declared = {command["command"] for command in load()["features"]["slash_commands"]}
    shown = set(re.findall(r"`(/[a-z-]+)[ `]", (ROOT / "README.md").read_text()))
    # Slack's own /invite (inviting the bot to a channel) and the web paths aside.
    assert shown - {"/invite", "/slack", "/healthz", "/metrics", "/survey"} == declared
