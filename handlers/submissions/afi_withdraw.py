"""The withdraw modal opened from `/afi list`: withdraw, refresh the vote, tell the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis.service import GONE, refresh_open_vote, review_if_allowed
from bot.afis.views import AfiFormMetadata, build_notice_modal
from bot.deps import Deps
from bot.slack import ids
from bot.slack.blocks import section
from bot.slack.calls import post_to_channel
from bot.slack.text import mention
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afis import withdraw_afi


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_WITHDRAW_MODAL)
    def handle_afi_withdraw_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
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
        if not isinstance(review, Review) or number is None:
            reason = review if isinstance(review, str) else GONE
            ack(response_action="update", view=build_notice_modal(reason))
            return
        ack()
        refresh_open_vote(deps, review.id)
        text = f"{mention(user_id)} withdrew AFI {number}; any votes on it went back to the voters."
        post_to_channel(client, channel=review.channel_id, text=text, blocks=[section(text)])
