"""The "Record answers" button under `/psif peers` opens the peer councils form."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import record_id
from bot.team.service import peers_form


def register(app: App, deps: Deps) -> None:
    @app.action(ids.PEERS_EDIT)
    def handle_record_answers(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        review_id = record_id(action.get("value"))
        ack()
        form = peers_form(
            deps,
            channel_id=str((body.get("channel") or {}).get("id") or ""),
            user_id=body["user"]["id"],
            response_url=body.get("response_url"),
            review_id=review_id,
        )
        Asker.of(deps, body, client).open_modal(form)
