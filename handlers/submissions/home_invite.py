"""The Home tab's invite form: invites the people picked, as `/psif invite` does."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.home.lead_views import InviteMetadata
from bot.reviews.permissions import Operation
from bot.self_assessment.inviting import invite_people
from bot.slack import ids
from bot.slack.blocks import input_value
from bot.slack.payloads import is_user_id, reading
from handlers.interactions.home_lead_buttons import checked_target, command_context, run_as_typed


def register(app: App, deps: Deps) -> None:
    @app.view(ids.HOME_INVITE_MODAL)
    def handle_home_invite_submission(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        respond: Respond,
        client: WebClient,
        logger: logging.Logger,
    ) -> None:
        metadata = InviteMetadata.load(view.get("private_metadata", ""))
        with reading("invite form"):
            picked = input_value(
                view["state"]["values"][ids.HOME_INVITE_PEOPLE][ids.HOME_INVITE_PEOPLE]
            )
            users = [str(user) for user in picked if is_user_id(str(user))]
        ack()
        target = checked_target(
            deps,
            client,
            body,
            review_id=metadata.review_id,
            operation=Operation.INVITE_STAKEHOLDERS,
        )
        if target is None:
            return
        ctx = command_context(
            deps,
            body,
            target,
            command="/psif",
            words="invite",
            ack=ack,
            respond=respond,
            client=client,
            logger=logger,
        )
        run_as_typed(
            ctx,
            lambda typed: typed.reply(
                invite_people(
                    deps,
                    channel_id=target.channel_id,
                    user_id=typed.user_id,
                    users=users,
                    response_url=typed.command.response_url,
                )
            ),
        )
