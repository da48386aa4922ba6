"""Submission of the session form: plan, edit or move a fieldwork session."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.fieldwork.service import SessionForm, SessionMetadata, save_fieldwork_session
from bot.slack import ids
from bot.slack.payloads import submission_key


def register(app: App, deps: Deps) -> None:
    @app.view(ids.FIELDWORK_SESSION_MODAL)
    def handle_session_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        save_fieldwork_session(
            deps,
            metadata=SessionMetadata.load(view.get("private_metadata")),
            form=SessionForm.of(view["state"]["values"]),
            user_id=body["user"]["id"],
            request_key=submission_key(view),
        )
        ack()
