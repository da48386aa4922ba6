"""The Home tab's invite form: invites the people picked, as `/psif invite` does."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.home.service import invite_from_home
from bot.home.views import InviteMetadata
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.blocks import input_value
from bot.slack.payloads import is_user_id, reading


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
        invite_from_home(
            deps, Asker.of(deps, body, client), review_id=metadata.review_id, users=users
        )
