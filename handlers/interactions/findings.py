""" "Add a finding" on an AFI or a fieldwork session, and the Edit / Remove / Learning to share
menu on each finding `/afi show` lets the viewer change."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.findings.service import button_form, change_form, learning_to_share
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value, verb_and_id

Payload = dict[str, Any]


def register(app: App, deps: Deps) -> None:
    @app.action(ids.FINDING_ADD)
    def handle_add_finding(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
        on, record = verb_and_id(action_value(action), frozenset({"afi", "session"}))
        view = button_form(
            deps,
            user_id=body["user"]["id"],
            afi_id=record if on == "afi" else None,
            fieldwork_session_id=record if on == "session" else None,
            response_url=body.get("response_url"),
        )
        ack()
        Asker.of(deps, body, client).open_modal(view)

    @app.action(ids.FINDING_MANAGE)
    def handle_change_finding(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
        verbs = frozenset({"edit", "remove", "share", "unshare"})
        verb, finding_id = verb_and_id(action_value(action), verbs)
        user_id, asker = body["user"]["id"], Asker.of(deps, body, client)
        if verb in ("share", "unshare"):
            share = verb == "share"
            answer = learning_to_share(deps, user_id=user_id, finding_id=finding_id, share=share)
            ack()
            asker.tell(answer)
            return
        view = change_form(
            deps,
            user_id=user_id,
            finding_id=finding_id,
            remove=verb == "remove",
            response_url=body.get("response_url"),
        )
        ack()
        asker.open_modal(view)
