"""Submissions of the action modals: log, edit, drop with a reason, and progress updates."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.improvement_actions.service import (
    drop_action,
    parse_action_form,
    parse_drop_reason,
    parse_progress_form,
    save_action,
    save_progress,
)
from bot.improvement_actions.views import ActionMetadata
from bot.slack import ids
from bot.slack.payloads import submission_key


def register(app: App, deps: Deps) -> None:
    @app.view(ids.ACTION_MODAL)
    def handle_action_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        save_action(
            deps,
            metadata=ActionMetadata.load(view.get("private_metadata")),
            form=parse_action_form(view["state"]["values"]),
            user_id=body["user"]["id"],
            request_key=submission_key(view),
        )
        ack()

    @app.view(ids.ACTION_DROP_MODAL)
    def handle_drop_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        drop_action(
            deps,
            metadata=ActionMetadata.load(view.get("private_metadata")),
            reason=parse_drop_reason(view["state"]["values"]),
            user_id=body["user"]["id"],
        )
        ack()

    @app.view(ids.ACTION_PROGRESS_MODAL)
    def handle_progress_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        save_progress(
            deps,
            metadata=ActionMetadata.load(view.get("private_metadata")),
            form=parse_progress_form(view["state"]["values"]),
            user_id=body["user"]["id"],
            request_key=submission_key(view),
        )
        ack()
