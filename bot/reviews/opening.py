"""Opening a review from the Appendix 1 form: store it and owe the channel its summary."""

from __future__ import annotations

from dataclasses import dataclass

from bot.deps import Deps
from bot.reviews.views import build_review_opened
from bot.slack.deliveries import owe_message
from storage.db import transaction
from storage.repositories.reviews import (
    NewReview,
    ReviewAlreadyOpen,
    create_review,
    open_review_in_channel,
    snapshot,
)

TAKEN = (
    "Someone opened a review in this channel while you were filling this in. Close this form "
    "and type /psif status to see it."
)


@dataclass(frozen=True)
class Opened:
    review_id: int | None  # None: this very form had been submitted already


def open_review(
    deps: Deps, *, new: NewReview, user_id: str, response_url: str | None
) -> Opened | str:
    """Store the review and owe the channel its summary in the same transaction; the reason
    it can't be opened otherwise. The same form submitted twice opens one review."""
    try:
        with transaction(deps.sessions) as session:
            review = create_review(session=session, new=new, actor_id=user_id, now=deps.now())
            text, blocks = build_review_opened(
                snapshot(review), opened_by=user_id, today=deps.today()
            )
            owe_message(
                session,
                team_id=review.team_id,
                channel=review.channel_id,
                text=text,
                blocks=blocks,
                if_undelivered={
                    "user_id": user_id,
                    "response_url": response_url,
                    "text": "Your review is saved, but I couldn't post its summary in the channel.",
                },
            )
            return Opened(review.id)
    except ReviewAlreadyOpen:
        with transaction(deps.sessions) as session:
            existing = open_review_in_channel(session=session, channel_id=new.channel_id)
            same = existing is not None and (
                existing.created_by == user_id and existing.focus == new.focus
            )
        return Opened(None) if same else TAKEN
