"""Finding the review a request is about, and refusing (`Refusal`) when the user may not act."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.errors import NoReviewHere, Refusal
from bot.core.permissions import Operation, permits, refusal_naming
from bot.core.stages import no_open_review
from bot.slack.tenancy import may_reach
from storage.models.reviews import Review
from storage.repositories.reviews import latest_review_in_channel, review_by_id, roles_of

REVIEW_GONE = "This review has been closed, so nothing was changed."


def get_review(*, session: Session, review_id: int) -> Review | None:
    """The review, if the request may reach it (bot.slack.tenancy)."""
    review = review_by_id(session=session, review_id=review_id)
    if review is None or not may_reach(
        team_id=review.team_id, member_ids=lambda: {m.user_id for m in review.members}
    ):
        return None
    return review


def channel_review(session: Session, *, channel_id: str) -> Review:
    review = latest_review_in_channel(session=session, channel_id=channel_id)
    if review is None or review.closed_at is not None:
        raise NoReviewHere(no_open_review(review))
    return review


def readable_channel_review(session: Session, *, channel_id: str) -> Review:
    """The channel's open review, else its latest closed one (for commands that only read)."""
    review = latest_review_in_channel(session=session, channel_id=channel_id)
    if review is None:
        raise NoReviewHere(no_open_review(None))
    return review


def review_in_channel(session: Session, *, team_id: str, channel_id: str) -> Review:
    del team_id  # reviews are found by channel, whoever's workspace the user is in
    return channel_review(session, channel_id=channel_id)


def require_permission(review: Review, user_id: str, operation: Operation) -> None:
    if not permits(operation, roles_of(review, user_id)):
        members = [(member.user_id, member.role) for member in review.members]
        raise Refusal(refusal_naming(members, operation))


def open_review_by_id(session: Session, review_id: int) -> Review:
    review = get_review(session=session, review_id=review_id)
    if review is None or review.closed_at is not None:
        raise Refusal(REVIEW_GONE)
    return review


roles = roles_of
