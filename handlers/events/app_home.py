"""The App Home tab: each user's reviews, refreshed whenever they open it."""

from __future__ import annotations

from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.views.home import build_home
from handlers.middleware import remember_event
from storage.db import transaction
from storage.repositories.reviews import reviews_for_user, snapshot


def publish_home(client: WebClient, deps: Deps, *, user_id: str, team_id: str) -> None:
    with transaction(deps.sessions) as session:
        reviews = [
            snapshot(review)
            for review in reviews_for_user(session=session, team_id=team_id, user_id=user_id)
        ]
    client.views_publish(
        user_id=user_id, view=build_home(reviews, user_id=user_id, today=deps.today())
    )


def register(app: App, deps: Deps) -> None:
    @app.event("app_home_opened")
    def handle_app_home_opened(
        event: dict[str, Any], body: dict[str, Any], client: WebClient
    ) -> None:
        if event.get("tab", "home") != "home":
            return
        publish_home(client, deps, user_id=event["user"], team_id=str(body.get("team_id", "")))
        remember_event(deps, body)
