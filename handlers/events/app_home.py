"""The App Home tab: each user's reviews and actions, refreshed whenever they open it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.home.service import publish_home
from handlers.middleware import remember_event


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def handle_app_home_opened(
        event: dict[str, Any], body: dict[str, Any], client: WebClient
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(client, deps, user_id=event["user"], team_id=str(body.get("team_id", "")))
        remember_event(deps, body)
