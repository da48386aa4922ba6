"""The Home tab's invite form: invites the people picked, as `/psif invite` does."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.deps import Deps
from bot.home.lead_views import InviteMetadata
from bot.self_assessment.service import invite_people
from bot.slack import ids
from bot.slack.blocks import input_value
from bot.slack.payloads import is_user_id, reading
from handlers.interactions.home_lead_buttons import LeadPress


def register(app: App, deps: Deps) -> None:
    @app.view(ids.HOME_INVITE_MODAL)
    def handle_home_invite_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        metadata = InviteMetadata.load(view.get("private_metadata", ""))
        with reading("invite form"):
            values = view["state"]["values"]
            picked = input_value(values[ids.HOME_INVITE_PEOPLE][ids.HOME_INVITE_PEOPLE])
            users = [str(user) for user in picked if is_user_id(str(user))]
        ack()
        press = LeadPress(deps, body, client)
        target = press.target(metadata.review_id, Operation.INVITE_STAKEHOLDERS)
        if target is None:
            return
        try:
            answer = invite_people(
                deps, channel_id=target.channel_id, user_id=press.user_id, users=users
            )
        except Refusal as refusal:
            answer = refusal.message
        press.tell_about(target, [answer])
