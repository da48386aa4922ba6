"""Dot votes on AFIs: rounds, casting a vote, tallies, closing, re-opening, the channel
messages that show a round, and who has voted.

Concurrent clicks are made safe by the database, not by request order: each vote takes a free
`slot` and `afi_slot` under unique constraints (a race's loser takes the next one or is told
the budget is spent); a click's key is stored once, so a redelivery changes nothing; votes
take a shared lock on the round and the AFI, closing and merging an exclusive one."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Integer, and_, bindparam, delete, func, literal, select, text, union_all
from sqlalchemy.orm import Session

from bot.core.afis import AfiItem, BallotInfo
from bot.core.calendar import aware
from bot.core.roles import Role
from bot.core.votes import (
    DOUBLE_CLICK_SECONDS,
    RankedAfi,
    ToggleEffect,
    VoteOutcome,
    VoteSettings,
    toggle_effect,
)
from storage.models.afis import Afi, AfiStatus, AfiVote, AfiVoteClick, AfiVoteMessage, AfiVoteRound
from storage.models.reviews import Review, TeamMember
from storage.repositories._sql import added, all_of, rowcount, set_where, upsert_insert
from storage.repositories.afis import (
    active_afi_items,
    afi_item,
    first_active_afi_items,
    first_free,
    read_locked,
)

SLOT_ATTEMPTS = 25


class VoteAlreadyOpen(Exception):
    """The review already has an open vote."""


def open_vote(
    *,
    session: Session,
    review_id: int,
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
        review_id=review_id,
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
    if not added(session, vote_round):
        raise VoteAlreadyOpen(review_id)
    return vote_round


def get_vote_round(*, session: Session, round_id: int) -> AfiVoteRound | None:
    return session.get(AfiVoteRound, round_id)


def latest_vote_round(
    *, session: Session, review_id: int, tie_breaks: bool = True
) -> AfiVoteRound | None:
    """The review's latest round; without `tie_breaks`, the latest that wasn't one."""
    query = select(AfiVoteRound).where(AfiVoteRound.review_id == review_id)
    if not tie_breaks:
        query = query.where(AfiVoteRound.tie_break_of.is_(None))
    return session.scalars(query.order_by(AfiVoteRound.id.desc()).limit(1)).first()


def open_vote_round(*, session: Session, review_id: int) -> AfiVoteRound | None:
    found = latest_vote_round(session=session, review_id=review_id)
    return found if found is not None and found.closed_at is None else None


class VoterRound(NamedTuple):
    vote_round: AfiVoteRound
    review: Review
    roles: set[Role]
    afi: Afi | None  # the AFI asked for, under its shared lock; None if not asked or gone


def round_for_voter(
    *, session: Session, round_id: int, voter_id: str, afi_id: int | None = None
) -> VoterRound | None:
    """A round, its review, the voter's roles in that review and the AFI `afi_id` (if
    asked), in one statement; None if the round is gone. The round and the AFI are read
    under a shared lock (as casting a vote needs: voters don't block each other, but
    closing or merging waits for them); with the AFI, the voter's clicks are serialised."""
    query = (
        select(AfiVoteRound, Review, TeamMember.role)
        .join(Review, Review.id == AfiVoteRound.review_id)
        .outerjoin(
            TeamMember, and_(TeamMember.review_id == Review.id, TeamMember.user_id == voter_id)
        )
        .where(AfiVoteRound.id == round_id)
        .execution_options(populate_existing=True)
    )
    if afi_id is not None:
        clicked = query.add_columns(Afi).join(Afi, Afi.id == afi_id)
        if session.get_bind().dialect.name == "postgresql":
            # The voter's clicks serialised (`_serialise_voter`) here, not in a statement of
            # its own: a click then needs one statement fewer.
            voter_lock = func.pg_advisory_xact_lock(round_id, func.hashtext(voter_id))
            clicked = clicked.add_columns(voter_lock)
        rows = session.execute(clicked.with_for_update(read=True, of=[AfiVoteRound, Afi])).all()
        if rows:
            vote_round, review, _, afi = rows[0][:4]
            return VoterRound(vote_round, review, _roles(rows), afi)
        # No such AFI (or no such round): read the round alone.
    rows = session.execute(query.with_for_update(read=True, of=AfiVoteRound)).all()
    if not rows:
        return None
    vote_round, review, _ = rows[0]
    return VoterRound(vote_round, review, _roles(rows), None)


def _roles(rows: Sequence[Any]) -> set[Role]:
    return {Role(row[2]) for row in rows if row[2] is not None}


@dataclass(frozen=True)
class Tally:
    votes_by_afi: dict[int, int]
    voters: int
    votes: int
    mine: dict[int, int]  # one voter's votes by AFI, if the tally was read for a voter


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
            AfiVote.afi_id, func.count(), voters, func.count().filter(AfiVote.voter_id == voter_id)
        )
        .where(AfiVote.round_id == round_id)
        .group_by(AfiVote.afi_id)
    ).all()
    by_afi = {int(afi_id): int(count) for afi_id, count, _, _ in rows}
    mine = {int(afi_id): int(count) for afi_id, _, _, count in rows if count}
    voter_count = int(rows[0][2]) if rows else 0
    return Tally(votes_by_afi=by_afi, voters=voter_count, votes=sum(by_afi.values()), mine=mine)


def _ballot_info(vote_round: AfiVoteRound, *, voters: int, votes: int) -> BallotInfo:
    return BallotInfo(
        round_id=vote_round.id,
        budget=vote_round.budget,
        per_afi_cap=vote_round.per_afi_cap,
        everyone_can_vote=vote_round.everyone_can_vote,
        is_open=vote_round.closed_at is None,
        voters=voters,
        votes=votes,
        tally_hidden=vote_round.tally_hidden and vote_round.closed_at is None,
        closes_at=aware(vote_round.closes_at) if vote_round.closes_at else None,
        tie_places=vote_round.tie_places if vote_round.tie_break_of is not None else None,
    )


def ballot(
    *, session: Session, vote_round: AfiVoteRound, voter_id: str = ""
) -> tuple[BallotInfo, list[AfiItem], dict[int, int]]:
    """The round as the voting message shows it, with the active AFIs on its ballot and
    their tallies, and `voter_id`'s own votes by AFI id (read in the same statement)."""
    tally = round_tally(session=session, round_id=vote_round.id, voter_id=voter_id)
    info = _ballot_info(vote_round, voters=tally.voters, votes=tally.votes)
    items = active_afi_items(
        session=session,
        review_id=vote_round.review_id,
        votes_by_afi=tally.votes_by_afi,
        only=None if vote_round.tie_break_of is None else set(vote_round.tie_candidates),
    )
    return info, items, tally.mine


def voter_ballot(
    *,
    session: Session,
    vote_round: AfiVoteRound,
    voter_id: str,
    mine: dict[int, int] | None,
    limit: int,
) -> tuple[BallotInfo, list[AfiItem], int, dict[int, int]]:
    """What a voter's own ballot shows: the round (without its tally), the first `limit`
    active AFIs on its ballot, the voter's own first, how many there are in all, and the
    voter's votes by AFI id (`mine`, if the click already knows them; else read here). Flat
    in the number of AFIs and votes."""
    if mine is None:
        mine = voter_votes(session=session, round_id=vote_round.id, voter_id=voter_id)
    info = _ballot_info(vote_round, voters=0, votes=0)  # a voter's ballot shows no tally
    items, total = first_active_afi_items(
        session=session,
        review_id=vote_round.review_id,
        limit=limit,
        first=list(mine),
        only=None if vote_round.tie_break_of is None else vote_round.tie_candidates,
    )
    return info, items, total, mine


def voter_votes(*, session: Session, round_id: int, voter_id: str) -> dict[int, int]:
    """One voter's votes in the round by AFI id."""
    rows = session.execute(
        select(AfiVote.afi_id, func.count())
        .where(AfiVote.round_id == round_id, AfiVote.voter_id == voter_id)
        .group_by(AfiVote.afi_id)
    )
    return {int(afi_id): int(count) for afi_id, count in rows}


# Characters mrkdwn escapes (`&`, `<`, `>`), counted in a text by the database.
_ESCAPED = func.length(Afi.text) - func.length(
    func.replace(func.replace(func.replace(Afi.text, "&", ""), "<", ""), ">", "")
)
_IN_ROUND = AfiVote.round_id == bindparam("round_id")
# Built once: the list asks on every call, and building a statement costs as much as running it.
_LISTING = select(
    func.count(Afi.id),
    func.max(Afi.number),
    func.max(_ESCAPED),
    select(func.count(func.distinct(AfiVote.voter_id))).where(_IN_ROUND).scalar_subquery(),
    select(func.count()).where(_IN_ROUND).scalar_subquery(),
).where(Afi.review_id == bindparam("review_id"), Afi.status == AfiStatus.ACTIVE.value)


@dataclass(frozen=True)
class Listing:
    """What the AFI list needs before reading a page of it: the latest round that wasn't a
    tie-break (its votes only settle its tie), and the active AFIs' count, highest number and
    most escaped characters in one text (what a list line's length can grow with)."""

    round_id: int | None
    ballot: BallotInfo | None
    count: int
    highest_number: int
    most_escaped: int


def listing(*, session: Session, review_id: int) -> Listing:
    """Two statements whatever the number of AFIs and votes."""
    vote_round = latest_vote_round(session=session, review_id=review_id, tie_breaks=False)
    round_id = None if vote_round is None else vote_round.id
    count, highest, escaped, voters, votes = session.execute(
        _LISTING, {"review_id": review_id, "round_id": round_id}
    ).one()
    info = None
    if vote_round is not None:
        info = _ballot_info(vote_round, voters=int(voters or 0), votes=int(votes or 0))
    return Listing(round_id, info, int(count or 0), int(highest or 0), int(escaped or 0))


def afi_with_latest_votes(*, session: Session, afi: Afi) -> tuple[BallotInfo | None, AfiItem]:
    """One active AFI as the list shows it (`listing`), and the round counted (without
    its tally; None if no round was held): one statement whatever the number of AFIs."""
    votes = select(func.count()).where(
        AfiVote.round_id == AfiVoteRound.id, AfiVote.afi_id == afi.id
    )
    found = session.execute(
        select(AfiVoteRound, votes.scalar_subquery())
        .where(AfiVoteRound.review_id == afi.review_id, AfiVoteRound.tie_break_of.is_(None))
        .order_by(AfiVoteRound.id.desc())
        .limit(1)
    ).first()
    if found is None:
        return None, afi_item(afi)
    vote_round, count = found
    return _ballot_info(vote_round, voters=0, votes=0), replace(afi_item(afi), votes=int(count))


@dataclass(frozen=True)
class VoteClick:
    """One press of an area's vote button: `key` (Slack's action_ts) spots a redelivery,
    `clicked_at` a double click; a `toggle` press adds or takes back, else `adding` says."""

    round_id: int
    afi_id: int
    voter_id: str
    key: str
    adding: bool
    clicked_at: float | None = None
    toggle: bool = False


@dataclass(frozen=True)
class VoteResult:
    """What a click did, and the voter's votes by AFI id after it when the click read them
    (`mine`; None if it did not, say for a repeated click), so the ballot needn't again."""

    outcome: VoteOutcome
    afi_number: int = 0  # the AFI clicked, 0 if it is not the round's
    mine: dict[int, int] | None = field(default=None, compare=False)


def change_vote(
    *, session: Session, click: VoteClick, now: datetime, locked: VoterRound | None = None
) -> VoteResult | None:
    """Add (or remove) one of the voter's votes on an AFI; None if the round is unknown.
    `locked`: the click's round and AFI, if the caller already read them under their shared
    locks (`round_for_voter` with the click's AFI)."""
    # Shared locks: voters don't block each other, but closing or merging waits for them.
    vote_round: AfiVoteRound | None
    if locked is not None:
        vote_round, afi = locked.vote_round, locked.afi
    else:
        vote_round = read_locked(session, AfiVoteRound, click.round_id, shared=True)
        afi = read_locked(session, Afi, click.afi_id, shared=True)
    if vote_round is None:
        return None
    ours = afi is not None and afi.review_id == vote_round.review_id

    def result(outcome: VoteOutcome, mine: dict[int, int] | None = None) -> VoteResult:
        return VoteResult(outcome, afi.number if afi is not None and ours else 0, mine)

    if vote_round.closed_at is not None:
        return result(VoteOutcome.VOTE_CLOSED)
    if afi is None or not ours or afi.status != AfiStatus.ACTIVE:
        return result(VoteOutcome.NOT_ON_BALLOT)
    if vote_round.tie_break_of is not None and afi.id not in vote_round.tie_candidates:
        return result(VoteOutcome.NOT_ON_BALLOT)
    if locked is None:  # else `round_for_voter` serialised the voter's clicks
        _serialise_voter(session, click)
    claimed = _insert_unless_taken(
        session,
        AfiVoteClick,
        {
            "round_id": click.round_id,
            "voter_id": click.voter_id,
            "click_key": click.key,
            "afi_id": click.afi_id,
            "adding": click.adding,
            "clicked_at": click.clicked_at,
        },
    )
    if not claimed:
        return result(VoteOutcome.REPEATED_CLICK)
    if click.toggle:
        return result(*_toggle_vote(session, vote_round, click, now))
    if click.adding:
        return result(*_add_vote(session, vote_round, click, now))
    return result(_remove_vote(session, vote_round, click))


def _insert_unless_taken(session: Session, table: type[Any], values: dict[str, Any]) -> bool:
    """Insert a row unless a unique constraint already holds its place: one statement,
    where a savepoint around a plain insert would take three. Into the table itself, not
    through the ORM's bulk insert, which costs more CPU than the statement."""
    core = table.__table__
    statement = upsert_insert(session)(core).values(**values).on_conflict_do_nothing()
    return session.execute(statement.returning(core.c.id)).first() is not None


def _serialise_voter(session: Session, click: VoteClick) -> None:
    """One voter's clicks in a round run one after another, so a double click's second
    press sees the first's committed click (READ COMMITTED could otherwise count it twice).
    SQLite needs nothing: its transactions already run one at a time (BEGIN IMMEDIATE)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:round_id, hashtext(:voter_id))"),
            {"round_id": click.round_id, "voter_id": click.voter_id},
        )


def _nearby_clicks(click: VoteClick) -> Any:
    """Other presses of the same button by the same person moments apart (a double click)."""
    assert click.clicked_at is not None
    return select(AfiVoteClick.id).where(
        AfiVoteClick.round_id == click.round_id,
        AfiVoteClick.voter_id == click.voter_id,
        AfiVoteClick.afi_id == click.afi_id,
        AfiVoteClick.adding.is_(click.adding),
        AfiVoteClick.click_key != click.key,
        AfiVoteClick.clicked_at.between(
            click.clicked_at - DOUBLE_CLICK_SECONDS, click.clicked_at + DOUBLE_CLICK_SECONDS
        ),
    )


class _Held(NamedTuple):
    slot: int
    afi_id: int
    afi_slot: int


def _votes_held(session: Session, vote_round: AfiVoteRound, click: VoteClick) -> list[_Held] | None:
    """The voter's votes in the round, or None if the press is a double click: one
    statement (a double click adds a row of slot 0, which no vote has). Checked before
    every attempt, so the loser of a race for a slot sees the winner's click on retry."""
    query: Any = select(AfiVote.slot, AfiVote.afi_id, AfiVote.afi_slot).where(
        AfiVote.round_id == vote_round.id, AfiVote.voter_id == click.voter_id
    )
    if click.clicked_at is not None:
        zero = literal(0, Integer)
        double = select(zero, zero, zero).where(_nearby_clicks(click).exists())
        query = union_all(query, double)
    rows = [_Held(*row) for row in session.execute(query)]
    return None if any(row.slot == 0 for row in rows) else rows


def _counts(rows: list[_Held]) -> dict[int, int]:
    """Votes by AFI id."""
    return dict(Counter(row.afi_id for row in rows))


def _add_vote(
    session: Session,
    vote_round: AfiVoteRound,
    click: VoteClick,
    now: datetime,
    held: list[_Held] | None = None,
) -> tuple[VoteOutcome, dict[int, int] | None]:
    """Take the voter's first free slot. `held`: the voter's votes, just read after a
    double-click check, so the first attempt needn't look again. With the outcome, the
    voter's votes by AFI after it (None for a repeated click: not read)."""
    for _ in range(SLOT_ATTEMPTS):
        if held is None:
            held = _votes_held(session, vote_round, click)
            if held is None:
                return VoteOutcome.REPEATED_CLICK, None
        rows, held = held, None
        mine = _counts(rows)
        slot = first_free({row.slot for row in rows}, vote_round.budget)
        if slot is None:
            return VoteOutcome.BUDGET_SPENT, mine
        afi_slot = first_free(
            {row.afi_slot for row in rows if row.afi_id == click.afi_id}, vote_round.per_afi_cap
        )
        if afi_slot is None:
            return VoteOutcome.CAP_REACHED, mine
        added = _insert_unless_taken(
            session,
            AfiVote,
            {
                "round_id": vote_round.id,
                "budget": vote_round.budget,
                "per_afi_cap": vote_round.per_afi_cap,
                "afi_id": click.afi_id,
                "voter_id": click.voter_id,
                "slot": slot,
                "afi_slot": afi_slot,
                "cast_at": now,
            },
        )
        if added:
            # The voter's clicks run one at a time (`_serialise_voter`), so this is exact.
            return VoteOutcome.ADDED, mine | {click.afi_id: mine.get(click.afi_id, 0) + 1}
        # else a concurrent click by the same voter took the slot: look again
    raise RuntimeError("could not allocate a vote slot")


def _remove_vote(session: Session, vote_round: AfiVoteRound, click: VoteClick) -> VoteOutcome:
    for _ in range(SLOT_ATTEMPTS):
        double = click.clicked_at is not None and session.scalar(
            select(_nearby_clicks(click).exists())
        )
        if double:  # another press of the same button by the same person moments apart
            return VoteOutcome.REPEATED_CLICK
        vote_id = session.scalar(
            select(AfiVote.id)
            .where(
                AfiVote.round_id == vote_round.id,
                AfiVote.voter_id == click.voter_id,
                AfiVote.afi_id == click.afi_id,
            )
            .order_by(AfiVote.afi_slot.desc())
            .limit(1)
        )
        if vote_id is None:
            return VoteOutcome.NOTHING_TO_REMOVE
        if rowcount(session, delete(AfiVote).where(AfiVote.id == vote_id)) == 1:
            return VoteOutcome.REMOVED
    raise RuntimeError("could not remove a vote")


def _toggle_vote(
    session: Session, vote_round: AfiVoteRound, click: VoteClick, now: datetime
) -> tuple[VoteOutcome, dict[int, int] | None]:
    held = _votes_held(session, vote_round, click)
    if held is None:
        return VoteOutcome.REPEATED_CLICK, None
    mine = _counts(held)
    effect = toggle_effect(
        used=len(held),
        on_afi=mine.get(click.afi_id, 0),
        budget=vote_round.budget,
        cap=vote_round.per_afi_cap,
    )
    if effect is ToggleEffect.ADD:
        return _add_vote(session, vote_round, click, now, held)
    if effect is ToggleEffect.NONE_LEFT:
        return VoteOutcome.BUDGET_SPENT, mine
    session.execute(
        delete(AfiVote).where(
            AfiVote.round_id == vote_round.id,
            AfiVote.voter_id == click.voter_id,
            AfiVote.afi_id == click.afi_id,
        )
    )
    mine.pop(click.afi_id, None)
    return VoteOutcome.REMOVED, mine


def close_round(
    *, session: Session, review_id: int, top_n: int, actor_id: str, now: datetime
) -> AfiVoteRound | None:
    """Mark the open round closed; None if no round is open. Takes an exclusive lock on the
    round, so votes still in flight finish first and later ones see the round closed."""
    current = open_vote_round(session=session, review_id=review_id)
    if current is None:
        return None
    vote_round = read_locked(session, AfiVoteRound, current.id, shared=False)
    if vote_round is None or vote_round.closed_at is not None:
        return None
    vote_round.closed_at, vote_round.closed_by, vote_round.top_n = now, actor_id, top_n
    return vote_round


def locked_afi_votes(
    *, session: Session, vote_round: AfiVoteRound, only: Iterable[int] | None = None
) -> list[tuple[Afi, int]]:
    """Each active AFI of the round's review (those in `only`, if given) with its votes in
    the round. The AFIs are locked before counting, so a merge or withdrawal in flight
    finishes first and the ranking sees its result."""
    query = select(Afi).where(
        Afi.review_id == vote_round.review_id, Afi.status == AfiStatus.ACTIVE.value
    )
    if only is not None:
        query = query.where(Afi.id.in_(list(only)))
    afis = list(session.scalars(query.with_for_update().execution_options(populate_existing=True)))
    votes = round_tally(session=session, round_id=vote_round.id).votes_by_afi
    return [(afi, votes.get(afi.id, 0)) for afi in afis]


def store_ranks(
    *, session: Session, review_id: int, ranked: Iterable[RankedAfi], others_unranked: bool
) -> None:
    """Store each ranked AFI's rank and prioritisation; with `others_unranked`, the review's
    other AFIs have neither."""
    if others_unranked:
        set_where(session, Afi, Afi.review_id == review_id, rank=None, prioritised=False)
    for item in ranked:
        where = (Afi.review_id == review_id, Afi.number == item.number)
        set_where(session, Afi, *where, rank=item.rank, prioritised=item.prioritised)
    session.expire_all()


def reopen_vote(*, session: Session, review_id: int) -> AfiVoteRound | None:
    """Re-open the latest closed round with its votes; None if there is none or one is open."""
    vote_round = latest_vote_round(session=session, review_id=review_id)
    if vote_round is None or vote_round.closed_at is None:
        return None
    where = (AfiVoteRound.id == vote_round.id, AfiVoteRound.closed_at.is_not(None))
    if set_where(session, AfiVoteRound, *where, closed_at=None, closed_by=None) != 1:
        return None
    session.refresh(vote_round)
    return vote_round


def rounds_due_to_close(*, session: Session, now: datetime) -> list[AfiVoteRound]:
    return all_of(
        session,
        select(AfiVoteRound).where(
            AfiVoteRound.closed_at.is_(None),
            AfiVoteRound.closes_at.is_not(None),
            AfiVoteRound.closes_at <= now,
        ),
    )


def open_rounds_of(*, session: Session, review_ids: Sequence[int]) -> list[AfiVoteRound]:
    open_ = AfiVoteRound.closed_at.is_(None)
    return all_of(
        session, select(AfiVoteRound).where(AfiVoteRound.review_id.in_(review_ids), open_)
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
    query = select(AfiVoteMessage).where(AfiVoteMessage.round_id == round_id)
    return all_of(session, query.order_by(AfiVoteMessage.page))


def record_vote_message(
    *, session: Session, round_id: int, page: int, channel_id: str, ts: str
) -> None:
    session.add(AfiVoteMessage(round_id=round_id, page=page, channel_id=channel_id, ts=ts))
    session.flush()


def discard_round(*, session: Session, round_id: int) -> None:
    """Remove a round whose voting message could not be posted (no one could vote in it)."""
    session.execute(delete(AfiVoteRound).where(AfiVoteRound.id == round_id))
