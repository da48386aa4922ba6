"""What the edit, merge and withdraw submissions share: who may change an AFI, and
keeping an open vote's message in step afterwards."""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.afis.rules import can_manage_afi
from bot.afis.tally import tally_refresher
from bot.deps import Deps
from bot.reviews.permissions import Operation, who_can
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afi_votes import open_round
from storage.repositories.afis import get_afi
from storage.repositories.reviews import get_review, roles_of

GONE = "This area was merged or withdrawn by someone else meanwhile; nothing was changed."
NOT_ALLOWED = (
    f"Only its author or the review's {who_can(Operation.MANAGE_ANY_AFI)} can change this area."
)


def review_if_allowed(session: Session, afi_id: int | None, user_id: str) -> Review | str:
    """The AFI's review if the user may manage it, else the reason they can't."""
    afi = get_afi(session=session, afi_id=afi_id) if afi_id is not None else None
    review = get_review(session=session, review_id=afi.review_id) if afi else None
    if afi is None or review is None or review.closed_at is not None:
        return GONE
    if not can_manage_afi(
        author_id=afi.author_id, user_id=user_id, roles=roles_of(review, user_id)
    ):
        return NOT_ALLOWED
    return review


def refresh_open_vote(deps: Deps, review_id: int) -> None:
    with transaction(deps.sessions) as session:
        vote_round = open_round(session=session, review_id=review_id)
    if vote_round is not None:
        tally_refresher(deps).request(vote_round.id)
