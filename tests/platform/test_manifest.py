"""The Slack app manifest a user pastes must be one Slack accepts."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

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
