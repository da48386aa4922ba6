"""Submission of a comment on the draft report."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.report.service import CommentMetadata, save_comment
from bot.slack import ids
from bot.slack.blocks import input_values
from bot.slack.payloads import submission_key


def register(app: App, deps: Deps) -> None:
    @app.view(ids.REPORT_COMMENT_MODAL)
    def handle_comment_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        save_comment(
            deps,
            metadata=CommentMetadata.load(view.get("private_metadata")),
            text=str(input_values(view["state"]["values"]).get(ids.REPORT_COMMENT_TEXT) or ""),
            user_id=body["user"]["id"],
            request_key=submission_key(view),
        )
        ack()
