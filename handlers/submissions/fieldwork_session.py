"""Submission of the session modal: plan, edit or move a fieldwork session."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.core.errors import FormErrors, Refusal
from bot.deps import Deps
from bot.fieldwork.modal import SessionMetadata, parse_session_state
from bot.fieldwork.service import save_session
from bot.slack import ids
from bot.slack.payloads import submission_key

STALE = "This form is out of date. Close it and start again."


def register(app: App, deps: Deps) -> None:
    @app.view(ids.FIELDWORK_SESSION_MODAL)
    def handle_session_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            metadata = SessionMetadata.load(view.get("private_metadata", ""))
        except ValueError:  # forged or from an older version of the bot
            ack(response_action="errors", errors={ids.FIELDWORK_KIND: STALE})
            return
        try:
            save_session(
                deps,
                metadata=metadata,
                form=parse_session_state(view["state"]["values"]),
                user_id=body["user"]["id"],
                request_key=submission_key(view),
            )
        except FormErrors as problem:
            ack(response_action="errors", errors=problem.errors)
            return
        except Refusal as refusal:
            ack(response_action="errors", errors={ids.FIELDWORK_KIND: refusal.message})
            return
        ack()
