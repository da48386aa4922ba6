"""Vote and Remove buttons on the channel's voting message."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot import ids
from bot.deps import Deps
from bot.roles import REVIEW_TEAM
from bot.views.afi_vote import describe_vote_answer
from handlers.afi_tally import tally_refresher
from storage.db import transaction
from storage.repositories.afi_votes import VoteOutcome, change_vote, get_round
from storage.repositories.afis import get_afi
from storage.repositories.reviews import get_review, roles_of

NOT_A_VOTER = (
    "This vote is for the review team (host team, Improvement Service and peer reviewers). "
    "Ask the host lead if you think you should be included."
)


def register(app: App, deps: Deps) -> None:
    def handle_click(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        adding = action["action_id"] == ids.AFI_VOTE_ADD
        voter_id = body["user"]["id"]
        round_id, afi_id = (int(part) for part in action["value"].split(":"))
        # Slack stamps each click with its own action_ts; a redelivered click repeats it.
        click_key = str(action.get("action_ts") or body.get("trigger_id", ""))[:64]
        with transaction(deps.sessions) as session:
            vote_round = get_round(session=session, round_id=round_id)
            review = (
                get_review(session=session, review_id=vote_round.review_id) if vote_round else None
            )
            if vote_round is None or review is None or review.closed_at is not None:
                respond(
                    text="This vote no longer exists.",
                    response_type="ephemeral",
                    replace_original=False,
                )
                return
            if not vote_round.everyone_can_vote and not roles_of(review, voter_id) & REVIEW_TEAM:
                respond(text=NOT_A_VOTER, response_type="ephemeral", replace_original=False)
                return
            result = change_vote(
                session=session,
                round_id=round_id,
                afi_id=afi_id,
                voter_id=voter_id,
                click_key=click_key,
                add=adding,
                now=deps.now(),
            )
            afi = get_afi(session=session, afi_id=afi_id)
            afi_number = afi.number if afi else 0
            cap = vote_round.per_afi_cap
        assert result is not None  # the round exists
        if result.outcome in (VoteOutcome.ADDED, VoteOutcome.REMOVED):
            tally_refresher(deps).request(round_id)
        respond(
            text=describe_vote_answer(
                result.outcome.value,
                afi_number=afi_number,
                used=result.used,
                budget=result.budget,
                on_afi=result.on_afi,
                cap=cap,
            ),
            response_type="ephemeral",
            replace_original=False,
        )

    app.action(ids.AFI_VOTE_ADD)(handle_click)
    app.action(ids.AFI_VOTE_REMOVE)(handle_click)
