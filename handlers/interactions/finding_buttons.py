""" "Add a finding" buttons on an AFI (`/afi show`) or a session (the plan, DMs, reminders),
and the Edit / Remove menu on each finding `/afi show` lets the viewer change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.deps import Deps
from bot.findings.changes import change_form
from bot.findings.service import button_form
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.blocks import Block


def register(app: App, deps: Deps) -> None:
    def open_form(
        body: dict[str, Any], client: WebClient, build: Callable[..., Block], value: str
    ) -> None:
        asker = Asker.of(deps, body, client)
        try:
            view = build(
                deps,
                user_id=body["user"]["id"],
                value=value,
                response_url=body.get("response_url"),
            )
        except Refusal as refusal:
            asker.tell(refusal.message)
            return
        asker.open_modal(view)

    @app.action(ids.FINDING_ADD)
    def handle_add_finding(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_form(body, client, button_form, str(action.get("value", "")))

    @app.action(ids.FINDING_MANAGE)
    def handle_change_finding(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        chosen = action.get("selected_option") or {}
        open_form(body, client, change_form, str(chosen.get("value", "")))
