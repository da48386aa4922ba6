"""The `/afi vote` modal's submission: open the round and post the voting message."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis.rules import vote_settings_problem
from bot.afis.tally import PUBLISH_FAILED, tally_refresher
from bot.afis.vote_views import VoteFormMetadata, parse_vote_form
from bot.deps import Deps
from bot.reviews.permissions import Operation, permits, refusal
from bot.slack import ids
from bot.slack.calls import unreachable_channel_advice
from handlers.submissions.start_submission import tell_user
from storage.db import transaction
from storage.repositories.afi_votes import (
    VoteAlreadyOpen,
    discard_round,
    open_vote,
)
from storage.repositories.reviews import open_review_in_channel, roles_of


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_VOTE_MODAL)
    def handle_afi_vote_open_submission(
        ack: Ack,
        body: dict[str, Any],
        view: dict[str, Any],
        client: WebClient,
        logger: logging.Logger,
    ) -> None:
        user_id = body["user"]["id"]
        metadata = VoteFormMetadata.load(view.get("private_metadata", ""))
        settings = parse_vote_form(view["state"]["values"])
        problem = vote_settings_problem(settings)
        if problem:
            ack(response_action="errors", errors={ids.AFI_VOTE_CAP: problem})
            return
        with transaction(deps.sessions) as session:
            review = open_review_in_channel(session=session, channel_id=metadata.channel_id)
            if review is None or not permits(Operation.RUN_VOTE, roles_of(review, user_id)):
                reason = (
                    "The review in this channel has been closed."
                    if review is None
                    else refusal(Operation.RUN_VOTE)
                )
                ack(response_action="errors", errors={ids.AFI_VOTE_BUDGET: reason})
                return
            try:
                vote_round = open_vote(
                    session=session,
                    review=review,
                    channel_id=metadata.channel_id,
                    settings=settings,
                    actor_id=user_id,
                    now=deps.now(),
                )
            except VoteAlreadyOpen:
                ack(
                    response_action="errors",
                    errors={ids.AFI_VOTE_BUDGET: "Someone started a vote meanwhile; use theirs."},
                )
                return
            round_id = vote_round.id
        ack()
        error = tally_refresher(deps).publish(round_id)
        if error is None:
            return
        with transaction(deps.sessions) as session:
            discard_round(session=session, round_id=round_id)
        advice = (
            "Slack had a problem posting the voting message. Type `/afi vote` to try again."
            if error == PUBLISH_FAILED
            else unreachable_channel_advice(metadata.channel_id, error)
        )
        tell_user(
            client,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"The vote was not started. {advice}",
            logger=logger,
        )
