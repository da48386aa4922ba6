"""The merge modal opened from `/afi list`: merge, refresh the vote, tell the channel."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.service import owe_vote_refresh, review_if_allowed
from bot.afis.views import (
    AfiFormMetadata,
    parse_merge_target,
)
from bot.deps import Deps
from bot.slack import ids
from bot.slack.blocks import section
from bot.slack.deliveries import owe_message
from bot.slack.text import escape_mrkdwn, mention, plural, truncate
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afis import MergeResult, merge_afis


def merge_note(merged: MergeResult, user_id: str) -> str:
    """The channel's line about a merge, with where the votes went."""
    moved = ""
    if merged.votes_moved or merged.votes_returned:
        moved = f" {plural(merged.votes_moved, 'vote')} moved across"
        if merged.votes_returned:
            moved += (
                f"; {plural(merged.votes_returned, 'vote')} went back to voters who "
                "already had the most allowed on it"
            )
        moved += "."
    return (
        f"{mention(user_id)} merged AFI {merged.source.number} into AFI {merged.target.number}: "
        f"{escape_mrkdwn(truncate(merged.target.text, 300))}.{moved}"
    )


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_MERGE_MODAL)
    def handle_afi_merge_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
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
            if merged is not None and isinstance(review, Review):
                owe_vote_refresh(session, deps, review)
                text = merge_note(merged, user_id)
                owe_message(
                    session,
                    team_id=review.team_id,
                    channel=review.channel_id,
                    text=text,
                    blocks=[section(text)],
                )
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
