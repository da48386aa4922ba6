"""The withdraw modal opened from `/afi list`: withdraw, refresh the vote, tell the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.service import GONE, owe_vote_refresh, review_if_allowed
from bot.afis.views import AfiFormMetadata, build_notice_modal
from bot.deps import Deps
from bot.slack import ids
from bot.slack.blocks import section
from bot.slack.deliveries import owe_message
from bot.slack.text import mention
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afis import withdraw_afi


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_WITHDRAW_MODAL)
    def handle_afi_withdraw_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        user_id = body["user"]["id"]
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        with transaction(deps.sessions) as session:
            review = review_if_allowed(session, metadata.afi_id, user_id)
            withdrawn = (
                withdraw_afi(
                    session=session,
                    review=review,
                    afi_id=metadata.afi_id,
                    actor_id=user_id,
                    now=deps.now(),
                )
                if isinstance(review, Review) and metadata.afi_id is not None
                else None
            )
            number = withdrawn.number if withdrawn else None
            if isinstance(review, Review) and number is not None:
                owe_vote_refresh(session, deps, review)
                text = (
                    f"{mention(user_id)} withdrew AFI {number}; any votes on it went back to "
                    "the voters."
                )
                owe_message(
                    session,
                    team_id=review.team_id,
                    channel=review.channel_id,
                    text=text,
                    blocks=[section(text)],
                )
        if not isinstance(review, Review) or number is None:
            reason = review if isinstance(review, str) else GONE
            ack(response_action="update", view=build_notice_modal(reason))
            return
        ack()
