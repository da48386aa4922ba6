"""The fieldwork plan's buttons: plan a session, edit or move one, cancel one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.fieldwork.service import cancel_fieldwork_session, fieldwork_session_form
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import record_id


def register(app: App, deps: Deps) -> None:
    @app.action(ids.FIELDWORK_PLAN)
    @app.action(ids.FIELDWORK_EDIT)
    def handle_session_form(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        number = record_id(action.get("value"))  # a review's id to plan, a session's to edit
        editing = action["action_id"] == ids.FIELDWORK_EDIT
        view = fieldwork_session_form(
            deps,
            user_id=body["user"]["id"],
            review_id=None if editing else number,
            fieldwork_session_id=number if editing else None,
            response_url=body.get("response_url"),
        )
        ack()
        Asker.of(deps, body, client).open_modal(view)

    @app.action(ids.FIELDWORK_CANCEL)
    def handle_cancel(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        done = cancel_fieldwork_session(
            deps, fieldwork_session_id=record_id(action.get("value")), user_id=body["user"]["id"]
        )
        ack()
        Asker.of(deps, body, client).tell(done)
