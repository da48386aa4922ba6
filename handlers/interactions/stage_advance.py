"""The buttons under `/psif stage next`'s and `/psif close`'s confirmations."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.reviews.service import confirm_close, confirm_stage_move
from bot.slack import ids
from bot.slack.after_ack import Asker


def register(app: App, deps: Deps) -> None:
    @app.action(ids.STAGE_ADVANCE_CANCEL)
    @app.action(ids.CLOSE_CANCEL)
    def handle_stage_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        Asker.of(deps, body, client).tell("OK, the review stays as it is.", replace=True)

    @app.action(ids.STAGE_ADVANCE_CONFIRM)
    def handle_stage_advance_confirm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        answer = confirm_stage_move(
            deps,
            user_id=body["user"]["id"],
            value=str(action.get("value", "")),
            response_url=body.get("response_url"),
        )
        Asker.of(deps, body, client).tell(answer.text, replace=True)

    @app.action(ids.CLOSE_CONFIRM)
    def handle_close_confirm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        answer = confirm_close(
            deps,
            user_id=body["user"]["id"],
            value=str(action.get("value", "")),
            response_url=body.get("response_url"),
        )
        Asker.of(deps, body, client).tell(answer.text, replace=True)
