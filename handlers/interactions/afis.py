"""Buttons of areas for improvement: Add anyway / Cancel, `/afi list`'s Show and pages, an
AFI's manage menu, and the dot vote's Vote buttons (on the channel message, in the voter's
ballot, and the Remove buttons of old messages), My votes and Run a tie-break.

A vote press is stored before it is acknowledged, so an acknowledged vote survives a restart;
the ballot and the tally follow through the outbox.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis import service
from bot.deps import Deps
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value, record_id, record_ids, verb_and_id

MANAGE_VERBS = frozenset({"edit", "merge", "withdraw"})
Payload = dict[str, Any]


def register(app: App, deps: Deps) -> None:
    @app.action(ids.AFI_ADD_ANYWAY)
    def handle_afi_add_anyway(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
        asker = Asker.of(deps, body, client)
        container = body.get("container") or {}
        channel_id = str(container.get("channel_id") or (body.get("channel") or {}).get("id"))
        request = service.NewAfiRequest(
            channel_id=channel_id,
            user_id=asker.user_id,
            text=str(action_value(action) or "").strip(),
            duplicate_ok=True,
            # A second press of the same question's button adds nothing more.
            request_key=f"anyway:{channel_id}:{container.get('message_ts')}",
        )
        text, _ = service.add_area(deps, request)
        ack()
        asker.tell(text, replace=True)

    @app.action(ids.AFI_ADD_CANCEL)
    def handle_afi_add_cancel(ack: Ack, body: Payload, client: WebClient) -> None:
        ack()
        Asker.of(deps, body, client).tell("OK, nothing was added.", replace=True)

    @app.action(ids.AFI_MANAGE)
    def handle_afi_manage(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
        verb, afi_id = verb_and_id(action_value(action), MANAGE_VERBS)
        asker = Asker.of(deps, body, client)
        response_url = body.get("response_url", "")
        view = service.manage_form(
            deps, user_id=asker.user_id, verb=verb, afi_id=afi_id, response_url=response_url
        )
        ack()
        asker.open_modal(view)

    @app.action(ids.AFI_SHOW)
    def handle_afi_show(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
        afi_id = record_id(action_value(action))
        asker = Asker.of(deps, body, client)
        text, blocks = service.show_area(deps, afi_id=afi_id, user_id=asker.user_id)
        ack()
        asker.tell(text, blocks=blocks)

    @app.action(ids.AFI_LIST_PAGE)
    def handle_afi_list_page(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
        page = record_id(action_value(action))
        asker = Asker.of(deps, body, client)
        channel_id = (body.get("channel") or {}).get("id", "")
        text, blocks = service.afi_list(
            deps, channel_id=channel_id, user_id=asker.user_id, page=page
        )
        ack()
        asker.tell(text, blocks=blocks, replace=True)

    @app.action(ids.AFI_VOTE_ADD)
    @app.action(ids.AFI_VOTE_REMOVE)
    @app.action(ids.AFI_BALLOT_TOGGLE)
    def handle_afi_vote_click(ack: Ack, body: Payload, action: Payload) -> None:
        round_id, afi_id = record_ids(action_value(action), 2)
        service.cast_vote(
            deps,
            round_id=round_id,
            afi_id=afi_id,
            user_id=body["user"]["id"],
            action_ts=str(action.get("action_ts") or ""),
            trigger_id=str(body.get("trigger_id", "")),
            take_back=action["action_id"] == ids.AFI_VOTE_REMOVE,
            in_ballot=action["action_id"] == ids.AFI_BALLOT_TOGGLE,
            response_url=body.get("response_url"),
        )
        ack()

    @app.action(ids.AFI_MY_VOTES)
    def handle_afi_my_votes(ack: Ack, body: Payload, action: Payload) -> None:
        round_id = record_id(action_value(action))
        user_id, response_url = body["user"]["id"], body.get("response_url")
        service.show_my_votes(deps, round_id=round_id, user_id=user_id, response_url=response_url)
        ack()

    @app.action(ids.AFI_TIE_BREAK)
    def handle_afi_tie_break(ack: Ack, body: Payload, action: Payload, client: WebClient) -> None:
        round_id = record_id(action_value(action))
        asker = Asker.of(deps, body, client)
        answer = service.start_tie_break(
            deps, round_id=round_id, user_id=asker.user_id, response_url=asker.response_url
        )
        ack()
        asker.tell(answer)
