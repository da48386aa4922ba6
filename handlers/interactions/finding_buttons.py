""" "Add a finding" buttons on an AFI (`/afi show`) or a session (the plan, DMs, reminders),
and the Edit / Remove menu on each finding `/afi show` lets the viewer change."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.deps import Deps
from bot.findings.changes import change_form
from bot.findings.service import button_form
from bot.slack import ids
from bot.slack.blocks import Block
from bot.slack.calls import open_view


def register(app: App, deps: Deps) -> None:
    def tell(respond: Respond, text: str) -> None:
        respond(text=text, response_type="ephemeral", replace_original=False)

    def open_form(
        body: dict[str, Any],
        respond: Respond,
        client: WebClient,
        build: Callable[..., Block],
        value: str,
    ) -> None:
        try:
            view = build(
                deps,
                user_id=body["user"]["id"],
                value=value,
                response_url=body.get("response_url"),
            )
        except Refusal as refusal:
            tell(respond, refusal.message)
            return
        open_view(
            client,
            trigger_id=body["trigger_id"],
            view=view,
            on_expired=lambda: tell(respond, "Slack took too long to open the form; try again."),
        )

    @app.action(ids.FINDING_ADD)
    def handle_add_finding(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        open_form(body, respond, client, button_form, str(action.get("value", "")))

    @app.action(ids.FINDING_MANAGE)
    def handle_change_finding(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        ack()
        chosen = action.get("selected_option") or {}
        open_form(body, respond, client, change_form, str(chosen.get("value", "")))
