"""The `/afi vote` modal's submission: open the round; the voting message follows."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.rules import vote_settings_problem
from bot.afis.vote_service import start_vote
from bot.afis.vote_views import VoteFormMetadata, closing_problem, parse_vote_form
from bot.deps import Deps
from bot.slack import ids
from bot.slack.payloads import team_id_of


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_VOTE_MODAL)
    def handle_afi_vote_open_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        metadata = VoteFormMetadata.load(view.get("private_metadata", ""))
        settings = parse_vote_form(view["state"]["values"], deps.settings.timezone)
        problem = vote_settings_problem(settings)
        if problem:
            ack(response_action="errors", errors={ids.AFI_VOTE_CAP: problem})
            return
        too_soon = closing_problem(settings, deps.now())
        if too_soon:
            ack(response_action="errors", errors={ids.AFI_VOTE_CLOSES: too_soon})
            return
        refusal = start_vote(
            deps,
            team_id=team_id_of(body),
            channel_id=metadata.channel_id,
            user_id=body["user"]["id"],
            settings=settings,
            response_url=metadata.response_url,
        )
        if refusal:
            ack(response_action="errors", errors={ids.AFI_VOTE_BUDGET: refusal})
            return
        ack()
