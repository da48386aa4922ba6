"""Submission of the session modal: plan, edit or move a fieldwork session."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.fieldwork.modal import SessionMetadata, parse_session_state
from bot.fieldwork.service import FormErrors, publish_change, save_session
from bot.review_access import Refusal
from bot.slack import ids
from bot.slack.calls import answer_user

STALE = "This form is out of date. Close it and start again."


def register(app: App, deps: Deps) -> None:
    @app.view(ids.FIELDWORK_SESSION_MODAL)
    def handle_session_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        try:
            metadata = SessionMetadata.load(view.get("private_metadata", ""))
        except ValueError:  # forged or from an older version of the bot
            ack(response_action="errors", errors={ids.FIELDWORK_KIND: STALE})
            return
        form = parse_session_state(view["state"]["values"])
        try:
            change = save_session(deps, metadata=metadata, form=form, user_id=user_id)
        except FormErrors as problem:
            ack(response_action="errors", errors=problem.errors)
            return
        except Refusal as refusal:
            ack(response_action="errors", errors={ids.FIELDWORK_KIND: refusal.message})
            return
        ack()
        answer_user(
            client,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Saved: {change.item.label}. The schedule in the channel is updated.",
        )
        publish_change(deps, change)
