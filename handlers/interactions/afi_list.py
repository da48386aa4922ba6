"""`/afi list`'s manage menu (edit, merge, withdraw) and its page buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.afis.listing import afi_list, manage_form
from bot.core.errors import NoReviewHere, Refusal
from bot.deps import Deps
from bot.slack import ids
from bot.slack.calls import open_view
from bot.slack.payloads import action_value, record_id, verb_and_id

MANAGE_VERBS = frozenset({"edit", "merge", "withdraw"})


def register(app: App, deps: Deps) -> None:
    def tell(respond: Respond, text: str) -> None:
        respond(text=text, response_type="ephemeral", replace_original=False)

    @app.action(ids.AFI_MANAGE)
    def handle_afi_manage(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        verb, afi_id = verb_and_id(action_value(action), MANAGE_VERBS)
        ack()
        try:
            view = manage_form(
                deps,
                user_id=body["user"]["id"],
                verb=verb,
                afi_id=afi_id,
                response_url=body.get("response_url", ""),
            )
        except Refusal as refusal:
            tell(respond, refusal.message)
            return
        open_view(
            client,
            trigger_id=body["trigger_id"],
            view=view,
            on_expired=lambda: tell(respond, "Slack took too long to open the form; try again."),
        )

    @app.action(ids.AFI_LIST_PAGE)
    def handle_afi_list_page(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        page = record_id(action_value(action))
        ack()
        try:
            text, blocks = afi_list(
                deps,
                channel_id=(body.get("channel") or {}).get("id", ""),
                user_id=body["user"]["id"],
                page=page,
            )
        except NoReviewHere:
            respond(text="The review in this channel has been closed.", replace_original=True)
            return
        respond(text=text, blocks=blocks, replace_original=True)
