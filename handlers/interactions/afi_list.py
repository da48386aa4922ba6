"""`/afi list`'s manage menu (edit, merge, withdraw) and its page buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis.listing import afi_list, manage_form
from bot.core.errors import NoReviewHere, Refusal
from bot.deps import Deps
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value, record_id, verb_and_id

MANAGE_VERBS = frozenset({"edit", "merge", "withdraw"})


def register(app: App, deps: Deps) -> None:
    @app.action(ids.AFI_MANAGE)
    def handle_afi_manage(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        verb, afi_id = verb_and_id(action_value(action), MANAGE_VERBS)
        ack()
        asker = Asker.of(deps, body, client)
        try:
            view = manage_form(
                deps,
                user_id=asker.user_id,
                verb=verb,
                afi_id=afi_id,
                response_url=body.get("response_url", ""),
            )
        except Refusal as refusal:
            asker.tell(refusal.message)
            return
        asker.open_modal(view)

    @app.action(ids.AFI_LIST_PAGE)
    def handle_afi_list_page(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        page = record_id(action_value(action))
        ack()
        asker = Asker.of(deps, body, client)
        try:
            text, blocks = afi_list(
                deps,
                channel_id=(body.get("channel") or {}).get("id", ""),
                user_id=asker.user_id,
                page=page,
            )
        except NoReviewHere:
            asker.tell("The review in this channel has been closed.", replace=True)
            return
        asker.tell(text, blocks=blocks, replace=True)
