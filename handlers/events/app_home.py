"""The App Home tab: each user's reviews and actions, refreshed whenever they open it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App

from bot.deps import Deps
from bot.home.service import refresh_home


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def handle_app_home_opened(event: dict[str, Any], body: dict[str, Any]) -> None:
        if event.get("tab", "home") != "home":
            return
        refresh_home(deps, team_id=str(body.get("team_id", "")), user_id=event["user"])
