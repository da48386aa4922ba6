"""Submission of a comment on the draft report."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.core.errors import Refusal
from bot.deps import Deps
from bot.report.comments import CommentProblem, save_comment
from bot.report.views import CommentMetadata, parse_comment_text
from bot.slack import ids
from bot.slack.payloads import submission_key

STALE = "This form is out of date. Close it and start again."


def register(app: App, deps: Deps) -> None:
    @app.view(ids.REPORT_COMMENT_MODAL)
    def handle_comment_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            metadata = CommentMetadata.load(view.get("private_metadata", ""))
        except ValueError:  # forged or from an older version of the bot
            ack(response_action="errors", errors={ids.REPORT_COMMENT_TEXT: STALE})
            return
        try:
            save_comment(
                deps,
                metadata=metadata,
                text=parse_comment_text(view["state"]["values"]),
                user_id=body["user"]["id"],
                request_key=submission_key(view),
            )
        except (CommentProblem, Refusal) as problem:
            ack(response_action="errors", errors={ids.REPORT_COMMENT_TEXT: str(problem)})
            return
        ack()
