"""Closing a vote (locking its round and AFIs, then storing the ranking its service works out)
and re-opening it."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.votes import RankedAfi
from storage.models.afis import Afi, AfiStatus, AfiVoteRound
from storage.models.reviews import Review
from storage.repositories.afi_votes import latest_round, open_round, round_tally
from storage.repositories.reviews import record_audit


def close_round(
    *, session: Session, review_id: int, top_n: int, actor_id: str, now: datetime
) -> AfiVoteRound | None:
    """Mark the open round closed; None if no round is open. Takes an exclusive lock on the
    round, so votes still in flight finish first and later ones see the round closed."""
    current = open_round(session=session, review_id=review_id)
    if current is None:
        return None
    vote_round = session.scalars(
        select(AfiVoteRound)
        .where(AfiVoteRound.id == current.id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    if vote_round.closed_at is not None:
        return None
    vote_round.closed_at = now
    vote_round.closed_by = actor_id
    vote_round.top_n = top_n
    return vote_round


def active_afi_votes(*, session: Session, review_id: int, round_id: int) -> list[tuple[int, int]]:
    """(number, votes in the round) of each active AFI, for ranking."""
    # Lock the AFIs before counting, so a merge or withdrawal in flight finishes first and
    # the ranking sees its result.
    afis = list(
        session.scalars(
            select(Afi)
            .where(Afi.review_id == review_id, Afi.status == AfiStatus.ACTIVE.value)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    tally = round_tally(session=session, round_id=round_id)
    return [(afi.number, tally.votes_by_afi.get(afi.id, 0)) for afi in afis]


def store_ranking(*, session: Session, review_id: int, ranked: Iterable[RankedAfi]) -> None:
    """Store each ranked AFI's rank and prioritisation; the review's other AFIs have neither."""
    session.execute(
        update(Afi)
        .where(Afi.review_id == review_id)
        .values(rank=None, prioritised=False)
        .execution_options(synchronize_session=False)
    )
    for item in ranked:
        session.execute(
            update(Afi)
            .where(Afi.review_id == review_id, Afi.number == item.number)
            .values(rank=item.rank, prioritised=item.prioritised)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()


def reopen_vote(
    *, session: Session, review: Review, actor_id: str, now: datetime
) -> AfiVoteRound | None:
    """Re-open the latest closed round with its votes; None if there is none or one is open."""
    vote_round = latest_round(session=session, review_id=review.id)
    if vote_round is None or vote_round.closed_at is None:
        return None
    result = session.execute(
        update(AfiVoteRound)
        .where(AfiVoteRound.id == vote_round.id, AfiVoteRound.closed_at.is_not(None))
        .values(closed_at=None, closed_by=None)
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return None
    session.refresh(vote_round)
    record_audit(
        session=session,
        review=review,
        actor_id=actor_id,
        action="afi.vote.reopened",
        details={"round": vote_round.id},
        now=now,
    )
    return vote_round
