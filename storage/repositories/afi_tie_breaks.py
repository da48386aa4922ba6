"""Closing a tie-break round: its winners stay prioritised, the rest of the tie no longer is."""

from __future__ import annotations

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from bot.afis.ranking import settle_tie
from bot.core.afis import RankedAfi
from storage.models.afis import Afi, AfiStatus, AfiVoteRound


def apply_tie_break(
    *, session: Session, vote_round: AfiVoteRound, votes_by_afi: dict[int, int]
) -> list[RankedAfi]:
    """Settle the tie: the tie-break's winners stay prioritised, the others no longer are.
    Ranks continue from the tied rank ("=3rd" becomes 3rd, 4th …). Returns the tied AFIs'
    new ranking."""
    afis = list(
        session.scalars(
            select(Afi)
            .where(Afi.id.in_(vote_round.tie_candidates), Afi.status == AfiStatus.ACTIVE.value)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    )
    if not afis:
        return []
    tied_rank = min(afi.rank or 1 for afi in afis)
    ranked = settle_tie(
        [(afi.number, votes_by_afi.get(afi.id, 0)) for afi in afis],
        places=vote_round.tie_places or 1,
    )
    by_number = {afi.number: afi for afi in afis}
    settled: list[RankedAfi] = []
    for entry in ranked:
        rank = tied_rank + entry.rank - 1
        session.execute(
            update(Afi)
            .where(Afi.id == by_number[entry.number].id)
            .values(rank=rank, prioritised=entry.prioritised)
            .execution_options(synchronize_session=False)
        )
        settled.append(RankedAfi(entry.number, entry.votes, rank, entry.tied, entry.prioritised))
    session.expire_all()
    return settled
