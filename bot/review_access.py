"""Finding the review a request is about, and refusing clearly when the user may not act.

Services of the fieldwork, findings, papers and report features raise `Refusal` with a
message for the person; listeners catch it and show it, so nothing half-happens.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.reviews.roles import Role
from storage.models.reviews import Review
from storage.repositories.reviews import get_review, open_review_in_channel, roles_of

NO_REVIEW = (
    "There's no PSIF review open in this channel yet. "
    "A host lead or the Improvement Service can start one with `/psif start`."
)
REVIEW_GONE = "This review has been closed, so nothing was changed."


class Refusal(Exception):
    """The request can't be carried out; the message says why, in words a user can act on."""

    @property
    def message(self) -> str:
        return str(self.args[0])


def review_in_channel(session: Session, *, team_id: str, channel_id: str) -> Review:
    del team_id  # reviews are found by channel, whoever's workspace the user is in
    review = open_review_in_channel(session=session, channel_id=channel_id)
    if review is None:
        raise Refusal(NO_REVIEW)
    return review


def open_review_by_id(session: Session, review_id: int) -> Review:
    review = get_review(session=session, review_id=review_id)
    if review is None or review.closed_at is not None:
        raise Refusal(REVIEW_GONE)
    return review


def roles(review: Review, user_id: str) -> set[Role]:
    return roles_of(review, user_id)


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise Refusal(message)
