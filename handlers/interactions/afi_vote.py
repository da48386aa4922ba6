"""Buttons of a dot vote: an area's Vote button (on the channel message or in the voter's own
ballot), My votes, the Remove buttons of messages posted before there was one button, and
Run a tie-break on the result.

A press is stored before it is acknowledged, so an acknowledged vote survives a worker
restart; the voter's ballot and the tally follow through the outbox, so a slow Slack never
holds up recording the next person's press.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis.vote_closing import start_tie_break
from bot.afis.vote_service import cast_vote, click_of, show_my_votes
from bot.deps import Deps
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value, record_id


def register(app: App, deps: Deps) -> None:
    def handle_afi_vote_click(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        in_ballot = action["action_id"] == ids.AFI_BALLOT_TOGGLE
        click = click_of(body, action)
        gone = cast_vote(deps, click, response_url=body.get("response_url"), in_ballot=in_ballot)
        ack()
        if gone:
            Asker.of(deps, body, client).tell(gone)

    app.action(ids.AFI_VOTE_ADD)(handle_afi_vote_click)
    app.action(ids.AFI_VOTE_REMOVE)(handle_afi_vote_click)
    app.action(ids.AFI_BALLOT_TOGGLE)(handle_afi_vote_click)

    @app.action(ids.AFI_MY_VOTES)
    def handle_afi_my_votes(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        round_id = record_id(action_value(action))
        ack()
        user_id, response_url = body["user"]["id"], body.get("response_url")
        problem = show_my_votes(deps, round_id=round_id, user_id=user_id, response_url=response_url)
        if problem:
            Asker.of(deps, body, client).tell(problem)

    @app.action(ids.AFI_TIE_BREAK)
    def handle_afi_tie_break(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        round_id = record_id(action_value(action))
        ack()
        user_id, response_url = body["user"]["id"], body.get("response_url")
        answer = start_tie_break(
            deps, round_id=round_id, user_id=user_id, response_url=response_url
        )
        Asker.of(deps, body, client).tell(answer)
