"""A lead's Home tab buttons: Invite stakeholders, Post results, Start a vote, Post the plan."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.home.service import press_lead_button
from bot.home.views import LEAD_BUTTONS
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value, record_id


def register(app: App, deps: Deps) -> None:
    def handle_lead_button(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        press_lead_button(
            deps,
            Asker.of(deps, body, client),
            button=str(action.get("action_id")),
            review_id=record_id(action_value(action)),
        )

    for button in LEAD_BUTTONS:
        app.action(button)(handle_lead_button)
