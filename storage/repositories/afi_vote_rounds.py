"""Vote rounds beyond casting and closing: tie-breaks, rounds due to close, who has voted,
and the channel messages that show a round."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import and_, delete, func, select
from sqlalchemy.orm import Session

from bot.core.roles import Role
from bot.core.votes import CutOffTie, VoteSettings
from storage.models.afis import Afi, AfiStatus, AfiVote, AfiVoteMessage, AfiVoteRound
from storage.models.reviews import Review, TeamMember
from storage.repositories.afi_votes import open_vote


def round_for_voter(
    *, session: Session, round_id: int, voter_id: str
) -> tuple[AfiVoteRound, Review, set[Role]] | None:
    """A round, its review and the voter's roles in that review, in one statement; None if
    the round is gone. The round is read under a shared lock (as casting a vote needs:
    voters don't block each other, but closing waits for them)."""
    rows = session.execute(
        select(AfiVoteRound, Review, TeamMember.role)
        .join(Review, Review.id == AfiVoteRound.review_id)
        .outerjoin(
            TeamMember, and_(TeamMember.review_id == Review.id, TeamMember.user_id == voter_id)
        )
        .where(AfiVoteRound.id == round_id)
        .with_for_update(read=True, of=AfiVoteRound)
        .execution_options(populate_existing=True)
    ).all()
    if not rows:
        return None
    vote_round, review, _ = rows[0]
    return vote_round, review, {Role(role) for _, _, role in rows if role is not None}


def open_tie_break(
    *,
    session: Session,
    review: Review,
    settled: AfiVoteRound,
    tie: CutOffTie,
    actor_id: str,
    now: datetime,
) -> AfiVoteRound:
    """A round on the tied AFIs only, one vote per place each; VoteAlreadyOpen if a round is
    open. It keeps the settled round's voters and hidden tally."""
    candidates = list(
        session.scalars(
            select(Afi.id).where(
                Afi.review_id == review.id,
                Afi.status == AfiStatus.ACTIVE.value,
                Afi.number.in_(tie.numbers),
            )
        )
    )
    settings = VoteSettings(
        budget=tie.places,
        per_afi_cap=1,
        everyone_can_vote=settled.everyone_can_vote,
        hide_tally=settled.tally_hidden,
        top_n=settled.top_n or tie.places,
    )
    return open_vote(
        session=session,
        review=review,
        channel_id=settled.channel_id,
        settings=settings,
        actor_id=actor_id,
        now=now,
        tie_break_of=settled.id,
        tie_places=tie.places,
        tie_candidates=candidates,
    )


def rounds_due_to_close(*, session: Session, now: datetime) -> list[AfiVoteRound]:
    return list(
        session.scalars(
            select(AfiVoteRound).where(
                AfiVoteRound.closed_at.is_(None),
                AfiVoteRound.closes_at.is_not(None),
                AfiVoteRound.closes_at <= now,
            )
        )
    )


def open_rounds_of(*, session: Session, review_ids: Sequence[int]) -> list[AfiVoteRound]:
    return list(
        session.scalars(
            select(AfiVoteRound).where(
                AfiVoteRound.review_id.in_(review_ids), AfiVoteRound.closed_at.is_(None)
            )
        )
    )


def voters_by_round(*, session: Session, round_ids: Sequence[int]) -> dict[int, set[str]]:
    """Who has at least one vote in each round."""
    rows = session.execute(
        select(AfiVote.round_id, AfiVote.voter_id)
        .where(AfiVote.round_id.in_(round_ids))
        .group_by(AfiVote.round_id, AfiVote.voter_id)
    ).all()
    found: dict[int, set[str]] = {round_id: set() for round_id in round_ids}
    for round_id, voter_id in rows:
        found[int(round_id)].add(str(voter_id))
    return found


def prioritised_numbers(*, session: Session, review_id: int) -> list[int]:
    return list(
        session.scalars(
            select(Afi.number)
            .where(
                Afi.review_id == review_id,
                Afi.status == AfiStatus.ACTIVE.value,
                Afi.prioritised.is_(True),
            )
            .order_by(Afi.number)
        )
    )


def has_votes(*, session: Session, round_id: int, voter_id: str) -> bool:
    found = session.scalar(
        select(func.count())
        .select_from(AfiVote)
        .where(AfiVote.round_id == round_id, AfiVote.voter_id == voter_id)
    )
    return bool(found)


def members_of(*, session: Session, review_ids: Sequence[int]) -> dict[int, dict[str, set[str]]]:
    """Each review's team: user id → their roles (one query for all the reviews)."""
    rows = session.execute(
        select(TeamMember.review_id, TeamMember.user_id, TeamMember.role).where(
            TeamMember.review_id.in_(review_ids)
        )
    ).all()
    found: dict[int, dict[str, set[str]]] = {}
    for review_id, user_id, role in rows:
        found.setdefault(int(review_id), {}).setdefault(str(user_id), set()).add(str(role))
    return found


def vote_messages(*, session: Session, round_id: int) -> list[AfiVoteMessage]:
    return list(
        session.scalars(
            select(AfiVoteMessage)
            .where(AfiVoteMessage.round_id == round_id)
            .order_by(AfiVoteMessage.page)
        )
    )


def record_vote_message(
    *, session: Session, round_id: int, page: int, channel_id: str, ts: str
) -> None:
    session.add(AfiVoteMessage(round_id=round_id, page=page, channel_id=channel_id, ts=ts))
    session.flush()


def discard_round(*, session: Session, round_id: int) -> None:
    """Remove a round whose voting message could not be posted (no one could vote in it)."""
    session.execute(delete(AfiVoteRound).where(AfiVoteRound.id == round_id))
