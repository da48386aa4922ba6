"""Dot votes on AFIs: rounds and tallies (casting a vote is in afi_vote_clicks.py, closing
and re-opening in afi_vote_closing.py).

Correctness under concurrent clicks rests on the database, not on request order:
- each vote row takes a free `slot` (1..budget) and `afi_slot` (1..per-AFI cap) under unique
  constraints, so two clicks that race for the same slot cannot both commit; the loser
  re-reads and takes the next free slot, or finds none and is told the budget is spent;
- a click's key (user + Slack's action_ts) is stored once, so a repeated delivery of the
  same click changes nothing, and a second press of the same button within
  DOUBLE_CLICK_SECONDS counts once;
- votes take a shared lock on the round and the AFI, closing and merging take an exclusive
  one, so no vote lands in a round after it closed or on an AFI after it was merged.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.afis import AfiItem, BallotInfo
from bot.core.calendar import aware
from bot.core.votes import VoteSettings
from storage.models.afis import AfiVote, AfiVoteRound
from storage.models.reviews import Review
from storage.repositories.afis import active_afi_items
from storage.repositories.reviews import record_audit


class VoteAlreadyOpen(Exception):
    """The review already has an open vote."""


@dataclass(frozen=True)
class Tally:
    votes_by_afi: dict[int, int]
    voters: int
    votes: int
    mine: dict[int, int]  # one voter's votes by AFI, if the tally was read for a voter


def open_vote(
    *,
    session: Session,
    review: Review,
    channel_id: str,
    settings: VoteSettings,
    actor_id: str,
    now: datetime,
    tie_break_of: int | None = None,
    tie_places: int | None = None,
    tie_candidates: Sequence[int] = (),
) -> AfiVoteRound:
    """Open a new round (a tie-break round when `tie_break_of` names the round whose tie it
    settles); raise VoteAlreadyOpen if one is open (the partial unique index)."""
    vote_round = AfiVoteRound(
        review_id=review.id,
        channel_id=channel_id,
        budget=settings.budget,
        per_afi_cap=settings.per_afi_cap,
        everyone_can_vote=settings.everyone_can_vote,
        tally_hidden=settings.hide_tally,
        closes_at=settings.closes_at,
        top_n=settings.top_n,
        opened_by=actor_id,
        opened_at=now,
        tie_break_of=tie_break_of,
        tie_places=tie_places,
        tie_candidates=list(tie_candidates),
    )
    try:
        with session.begin_nested():
            session.add(vote_round)
            session.flush()
    except IntegrityError as error:
        raise VoteAlreadyOpen(review.id) from error
    record_audit(
        session=session,
        review=review,
        actor_id=actor_id,
        action="afi.vote.opened",
        details={
            "round": vote_round.id,
            "budget": settings.budget,
            "per_afi_cap": settings.per_afi_cap,
            "everyone_can_vote": settings.everyone_can_vote,
            "tally_hidden": settings.hide_tally,
            "tie_break_of": tie_break_of,
        },
        now=now,
    )
    return vote_round


def get_round(*, session: Session, round_id: int) -> AfiVoteRound | None:
    return session.get(AfiVoteRound, round_id)


def latest_round(*, session: Session, review_id: int) -> AfiVoteRound | None:
    return session.scalars(
        select(AfiVoteRound)
        .where(AfiVoteRound.review_id == review_id)
        .order_by(AfiVoteRound.id.desc())
        .limit(1)
    ).first()


def open_round(*, session: Session, review_id: int) -> AfiVoteRound | None:
    found = latest_round(session=session, review_id=review_id)
    return found if found is not None and found.closed_at is None else None


def round_tally(*, session: Session, round_id: int, voter_id: str = "") -> Tally:
    """Votes by AFI, the number of voters and `voter_id`'s own votes, in one statement
    (every row carries the voter count; no rows means no votes and so no voters)."""
    voters = (
        select(func.count(func.distinct(AfiVote.voter_id)))
        .where(AfiVote.round_id == round_id)
        .scalar_subquery()
    )
    rows = session.execute(
        select(
            AfiVote.afi_id,
            func.count(),
            voters,
            func.count().filter(AfiVote.voter_id == voter_id),
        )
        .where(AfiVote.round_id == round_id)
        .group_by(AfiVote.afi_id)
    ).all()
    by_afi = {int(afi_id): int(count) for afi_id, count, _, _ in rows}
    mine = {int(afi_id): int(count) for afi_id, _, _, count in rows if count}
    voter_count = int(rows[0][2]) if rows else 0
    return Tally(votes_by_afi=by_afi, voters=voter_count, votes=sum(by_afi.values()), mine=mine)


def votes_of(*, session: Session, round_id: int, voter_id: str) -> dict[int, int]:
    """The voter's votes in a round by AFI id."""
    rows = session.execute(
        select(AfiVote.afi_id, func.count())
        .where(AfiVote.round_id == round_id, AfiVote.voter_id == voter_id)
        .group_by(AfiVote.afi_id)
    ).all()
    return {int(afi_id): int(count) for afi_id, count in rows}


def ballot(*, session: Session, vote_round: AfiVoteRound) -> tuple[BallotInfo, list[AfiItem]]:
    """The round as the voting message shows it, with the active AFIs and their tallies."""
    info, items, _ = voter_ballot(session=session, vote_round=vote_round, voter_id="")
    return info, items


def voter_ballot(
    *, session: Session, vote_round: AfiVoteRound, voter_id: str
) -> tuple[BallotInfo, list[AfiItem], dict[int, int]]:
    """`ballot`, with the voter's own votes by AFI id read in the same statement as the
    tally."""
    tally = round_tally(session=session, round_id=vote_round.id, voter_id=voter_id)
    info = BallotInfo(
        round_id=vote_round.id,
        budget=vote_round.budget,
        per_afi_cap=vote_round.per_afi_cap,
        everyone_can_vote=vote_round.everyone_can_vote,
        is_open=vote_round.closed_at is None,
        voters=tally.voters,
        votes=tally.votes,
        tally_hidden=vote_round.tally_hidden and vote_round.closed_at is None,
        closes_at=aware(vote_round.closes_at) if vote_round.closes_at else None,
        tie_places=vote_round.tie_places if vote_round.tie_break_of is not None else None,
    )
    items = active_afi_items(
        session=session,
        review_id=vote_round.review_id,
        votes_by_afi=tally.votes_by_afi,
        only=None if vote_round.tie_break_of is None else set(vote_round.tie_candidates),
    )
    return info, items, tally.mine


def afis_with_latest_votes(
    *, session: Session, review_id: int
) -> tuple[BallotInfo | None, list[AfiItem]]:
    """The active AFIs with their votes in the latest round (if any round was held); a
    tie-break round's votes only settle its tie, so the round it settled counts here."""
    vote_round = session.scalars(
        select(AfiVoteRound)
        .where(AfiVoteRound.review_id == review_id, AfiVoteRound.tie_break_of.is_(None))
        .order_by(AfiVoteRound.id.desc())
        .limit(1)
    ).first()
    if vote_round is None:
        return None, active_afi_items(session=session, review_id=review_id)
    return ballot(session=session, vote_round=vote_round)
