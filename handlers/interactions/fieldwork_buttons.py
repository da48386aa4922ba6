"""The fieldwork plan's buttons: plan a session, edit or move one, cancel one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.deps import Deps
from bot.fieldwork.service import cancel_session, session_form
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import whole_number


def _number(value: str | None) -> int | None:
    return whole_number(value)


def register(app: App, deps: Deps) -> None:
    @app.action(ids.FIELDWORK_PLAN)
    @app.action(ids.FIELDWORK_EDIT)
    def handle_session_form(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        asker = Asker.of(deps, body, client)
        number = _number(action.get("value"))
        editing = action["action_id"] == ids.FIELDWORK_EDIT
        try:
            if number is None:
                raise Refusal("That button is out of date. Type `/psif fieldwork` again.")
            view = session_form(
                deps,
                user_id=body["user"]["id"],
                review_id=None if editing else number,
                session_id=number if editing else None,
                response_url=body.get("response_url"),
            )
        except Refusal as refusal:
            asker.tell(refusal.message)
            return
        asker.open_modal(view)

    @app.action(ids.FIELDWORK_CANCEL)
    def handle_cancel(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        asker = Asker.of(deps, body, client)
        session_id = _number(action.get("value"))
        try:
            if session_id is None:
                raise Refusal("That button is out of date. Type `/psif fieldwork` again.")
            done = cancel_session(deps, session_id=session_id, user_id=body["user"]["id"])
        except Refusal as refusal:
            asker.tell(refusal.message)
            return
        asker.tell(done)
