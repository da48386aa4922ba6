"""Submission of a comment on the draft report."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.report.comments import CommentProblem, publish_comment, save_comment
from bot.report.views import CommentMetadata, parse_comment_text
from bot.review_access import Refusal
from bot.slack import ids
from bot.slack.calls import answer_user

STALE = "This form is out of date. Close it and start again."


def register(app: App, deps: Deps) -> None:
    @app.view(ids.REPORT_COMMENT_MODAL)
    def handle_comment_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        try:
            metadata = CommentMetadata.load(view.get("private_metadata", ""))
        except ValueError:  # forged or from an older version of the bot
            ack(response_action="errors", errors={ids.REPORT_COMMENT_TEXT: STALE})
            return
        text = parse_comment_text(view["state"]["values"])
        try:
            saved = save_comment(deps, metadata=metadata, text=text, user_id=user_id)
        except (CommentProblem, Refusal) as problem:
            ack(response_action="errors", errors={ids.REPORT_COMMENT_TEXT: str(problem)})
            return
        ack()
        publish_comment(client, saved)
        answer_user(
            client,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Your comment on draft {saved.version_number} is in the report's thread.",
        )
