"""The merge modal opened from `/afi list`: merge, refresh the vote, tell the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis.service import refresh_open_vote, review_if_allowed
from bot.afis.views import (
    AfiFormMetadata,
    parse_merge_target,
)
from bot.deps import Deps
from bot.slack import ids
from bot.slack.blocks import section
from bot.slack.calls import post_to_channel
from bot.slack.text import escape_mrkdwn, mention, plural, truncate
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afis import merge_afis


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_MERGE_MODAL)
    def handle_afi_merge_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        target_id = parse_merge_target(view["state"]["values"])
        if target_id is None or metadata.afi_id is None:
            ack(response_action="errors", errors={ids.AFI_MERGE_TARGET: "Choose an area."})
            return
        with transaction(deps.sessions) as session:
            review = review_if_allowed(session, metadata.afi_id, user_id)
            merged = (
                merge_afis(
                    session=session,
                    review=review,
                    source_id=metadata.afi_id,
                    target_id=target_id,
                    actor_id=user_id,
                    now=deps.now(),
                )
                if isinstance(review, Review)
                else None
            )
            if merged is not None:
                source_number, target_number = merged.source.number, merged.target.number
                target_text = merged.target.text
        if not isinstance(review, Review) or merged is None:
            reason = (
                review
                if isinstance(review, str)
                else (
                    "One of the two areas was merged or withdrawn meanwhile; nothing was changed."
                )
            )
            ack(response_action="errors", errors={ids.AFI_MERGE_TARGET: reason})
            return
        ack()
        refresh_open_vote(deps, review.id)
        moved = ""
        if merged.votes_moved or merged.votes_returned:
            moved = f" {plural(merged.votes_moved, 'vote')} moved across"
            if merged.votes_returned:
                moved += (
                    f"; {plural(merged.votes_returned, 'vote')} went back to voters who "
                    "already had the most allowed on it"
                )
            moved += "."
        text = (
            f"{mention(user_id)} merged AFI {source_number} into AFI {target_number}: "
            f"{escape_mrkdwn(truncate(target_text, 300))}.{moved}"
        )
        post_to_channel(client, channel=review.channel_id, text=text, blocks=[section(text)])
