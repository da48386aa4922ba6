""" "Comment on the draft" on a posted report, and "Resolve" in the open-comments list."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.report.service import comment_form, resolve_comment
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import record_id


def register(app: App, deps: Deps) -> None:
    @app.action(ids.REPORT_COMMENT)
    def handle_comment(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        view = comment_form(
            deps,
            version_id=record_id(action.get("value")),
            user_id=body["user"]["id"],
            response_url=body.get("response_url"),
        )
        ack()
        Asker.of(deps, body, client).open_modal(view)

    @app.action(ids.REPORT_RESOLVE)
    def handle_resolve(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        answer = resolve_comment(
            deps, comment_id=record_id(action.get("value")), user_id=body["user"]["id"]
        )
        ack()
        Asker.of(deps, body, client).tell(answer)
