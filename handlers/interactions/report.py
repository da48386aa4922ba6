""" "Comment on the draft" on a posted report, "Resolve" in the open-comments list, and the
buttons of the confirmations before a draft or the final report."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.report.service import build_draft_anyway, comment_form, confirm_final, resolve_comment
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

    @app.action(ids.REPORT_DRAFT_ANYWAY)
    def handle_draft_anyway(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        text, blocks = build_draft_anyway(
            deps,
            lambda: client,
            review_id=record_id(action.get("value")),
            user_id=body["user"]["id"],
            response_url=body.get("response_url"),
        )
        Asker.of(deps, body, client).tell(text, blocks=blocks, replace=True)

    @app.action(ids.REPORT_FINAL_CONFIRM)
    def handle_final_confirm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        answer = confirm_final(
            deps,
            lambda: client,
            version_id=record_id(action.get("value")),
            user_id=body["user"]["id"],
            response_url=body.get("response_url"),
        )
        Asker.of(deps, body, client).tell(answer, replace=True)

    @app.action(ids.REPORT_CANCEL)
    def handle_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        Asker.of(deps, body, client).tell("OK, nothing has changed.", replace=True)
