"""Closing a tie-break round: its tied AFIs, and the ranks its service settled."""

from __future__ import annotations

from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.core.votes import RankedAfi
from storage.models.afis import Afi, AfiStatus, AfiVoteRound


def tied_afi_votes(
    *, session: Session, vote_round: AfiVoteRound, votes_by_afi: dict[int, int]
) -> tuple[int, list[tuple[int, int]]]:
    """The rank the tie is at and (number, votes) of each tied AFI still active, locked."""
    afis = list(
        session.scalars(
            select(Afi)
            .where(Afi.id.in_(vote_round.tie_candidates), Afi.status == AfiStatus.ACTIVE.value)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    tied_rank = min((afi.rank or 1 for afi in afis), default=1)
    return tied_rank, [(afi.number, votes_by_afi.get(afi.id, 0)) for afi in afis]


def store_tie_break(*, session: Session, review_id: int, settled: Iterable[RankedAfi]) -> None:
    """Store the tied AFIs' new ranks: the winners stay prioritised, the others no longer are."""
    for entry in settled:
        session.execute(
            update(Afi)
            .where(Afi.review_id == review_id, Afi.number == entry.number)
            .values(rank=entry.rank, prioritised=entry.prioritised)
            .execution_options(synchronize_session=False)
        )
    session.expire_all()
