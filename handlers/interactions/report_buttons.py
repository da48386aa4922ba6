""" "Comment on the draft" on a posted report, and "Resolve" in the open-comments list."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.deps import Deps
from bot.report.comments import comment_form, resolve
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import whole_number

STALE = "That button is out of date. Type `/psif report comments` instead."


def _number(value: object) -> int:
    number = whole_number(value)
    if number is None:
        raise Refusal(STALE)
    return number


def register(app: App, deps: Deps) -> None:
    @app.action(ids.REPORT_COMMENT)
    def handle_comment(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        asker = Asker.of(deps, body, client)
        try:
            view = comment_form(
                deps,
                version_id=_number(action.get("value")),
                user_id=body["user"]["id"],
                response_url=body.get("response_url"),
            )
        except Refusal as refusal:
            asker.tell(refusal.message)
            return
        asker.open_modal(view)

    @app.action(ids.REPORT_RESOLVE)
    def handle_resolve(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        try:
            answer = resolve(
                deps, comment_id=_number(action.get("value")), user_id=body["user"]["id"]
            )
        except Refusal as refusal:
            answer = refusal.message
        Asker.of(deps, body, client).tell(answer)
