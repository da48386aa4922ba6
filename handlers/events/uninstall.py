"""A workspace uninstalled the app or revoked its tokens: forget them (data stays until
the retention period)."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.slack.installations import Workspaces


def register(app: App, workspaces: Workspaces) -> None:
    @app.event("app_uninstalled")
    def handle_app_uninstalled(body: dict[str, Any]) -> None:
        workspaces.remove(str(body.get("team_id") or ""))

    @app.event("tokens_revoked")
    def handle_tokens_revoked(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tokens", {}).get("bot"):
            workspaces.remove(str(body.get("team_id") or ""))
