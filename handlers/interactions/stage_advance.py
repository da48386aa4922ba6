"""The buttons under `/psif stage next`'s and `/psif close`'s confirmations."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.deps import Deps
from bot.reviews.service import confirm_close, confirm_stage_move
from bot.slack import ids


def register(app: App, deps: Deps) -> None:
    @app.action(ids.STAGE_ADVANCE_CANCEL)
    @app.action(ids.CLOSE_CANCEL)
    def handle_stage_cancel(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="OK, the review stays as it is.", replace_original=True)

    @app.action(ids.STAGE_ADVANCE_CONFIRM)
    def handle_stage_advance_confirm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        answer = confirm_stage_move(
            deps,
            user_id=body["user"]["id"],
            value=str(action.get("value", "")),
            response_url=body.get("response_url"),
        )
        respond(text=answer.text, replace_original=True)

    @app.action(ids.CLOSE_CONFIRM)
    def handle_close_confirm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        answer = confirm_close(
            deps,
            user_id=body["user"]["id"],
            value=str(action.get("value", "")),
            response_url=body.get("response_url"),
        )
        respond(text=answer.text, replace_original=True)
