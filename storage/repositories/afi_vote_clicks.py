"""Casting dot votes: one click at a time, each checked against the round's limits.

The database enforces the limits (slot unique constraints); this module finds a free slot,
recognises a click Slack delivers twice or a person presses twice, and retries when a
concurrent click by the same voter took the slot.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select, text
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from bot.core.votes import DOUBLE_CLICK_SECONDS, ToggleEffect, VoteOutcome, toggle_effect
from storage.models.afis import Afi, AfiStatus, AfiVote, AfiVoteClick, AfiVoteRound

SLOT_ATTEMPTS = 25


@dataclass(frozen=True)
class VoteResult:
    """What a click did. The voter's votes after it are read with the ballot
    (`afi_votes.voter_ballot`), not here, so a click reads them once."""

    outcome: VoteOutcome
    afi_number: int = 0  # the AFI clicked, 0 if it is not the round's


def _insert_unless_taken(session: Session, table: type[Any], values: dict[str, Any]) -> bool:
    """Insert a row unless a unique constraint already holds its place: one statement,
    where a savepoint around a plain insert would take three."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = insert(table).values(**values).on_conflict_do_nothing().returning(table.id)
    return session.execute(statement).first() is not None


def _result(outcome: VoteOutcome, vote_round: AfiVoteRound, afi: Afi | None) -> VoteResult:
    number = afi.number if afi is not None and afi.review_id == vote_round.review_id else 0
    return VoteResult(outcome, number)


def _lock_for_vote(
    session: Session, round_id: int, afi_id: int, locked_round: AfiVoteRound | None
) -> tuple[AfiVoteRound | None, Afi | None]:
    """Shared locks: voters don't block each other, but closing or merging waits for them.
    `locked_round`: the round, already read under its shared lock by the caller."""
    vote_round = (
        locked_round
        or session.scalars(
            select(AfiVoteRound)
            .where(AfiVoteRound.id == round_id)
            .with_for_update(read=True)
            .execution_options(populate_existing=True)
        ).first()
    )
    afi = session.scalars(
        select(Afi)
        .where(Afi.id == afi_id)
        .with_for_update(read=True)
        .execution_options(populate_existing=True)
    ).first()
    return vote_round, afi


@dataclass(frozen=True)
class VoteClick:
    """One press of an area's vote button. `key` identifies the click itself (Slack's
    action_ts), so a redelivery is recognised; `clicked_at` (seconds) spots a double click.
    A `toggle` press adds or takes back (see `toggle_effect`); otherwise `adding` says
    which (the Remove buttons of voting messages posted before there was one button)."""

    round_id: int
    afi_id: int
    voter_id: str
    key: str
    adding: bool
    clicked_at: float | None = None
    toggle: bool = False


def _serialise_voter(session: Session, click: VoteClick) -> None:
    """One voter's clicks in a round run one after another (different voters still run
    together), so a double click's second press always sees the first's committed click.

    Without it, on PostgreSQL's READ COMMITTED the second press could look for the first
    before it committed, then pick a free slot after it committed, and count twice.
    SQLite needs nothing: its transactions already run one at a time (BEGIN IMMEDIATE).
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_advisory_xact_lock(:round_id, hashtext(:voter_id))"),
            {"round_id": click.round_id, "voter_id": click.voter_id},
        )


def _claim_click(session: Session, click: VoteClick) -> bool:
    return _insert_unless_taken(
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


def _is_double_click(session: Session, click: VoteClick) -> bool:
    """Another press of the same button by the same person moments apart.

    Checked before every attempt: when two such clicks race, both reach for the same vote
    slot, the loser retries after the winner commits, and then sees the winner's click.
    """
    if click.clicked_at is None:
        return False
    nearby = session.scalar(
        select(func.count())
        .select_from(AfiVoteClick)
        .where(
            AfiVoteClick.round_id == click.round_id,
            AfiVoteClick.voter_id == click.voter_id,
            AfiVoteClick.afi_id == click.afi_id,
            AfiVoteClick.adding.is_(click.adding),
            AfiVoteClick.click_key != click.key,
            AfiVoteClick.clicked_at.between(
                click.clicked_at - DOUBLE_CLICK_SECONDS, click.clicked_at + DOUBLE_CLICK_SECONDS
            ),
        )
    )
    return bool(nearby)


def change_vote(
    *,
    session: Session,
    click: VoteClick,
    now: datetime,
    locked_round: AfiVoteRound | None = None,
) -> VoteResult | None:
    """Add (or remove) one of the voter's votes on an AFI; None if the round is unknown.
    `locked_round`: the click's round, if the caller already read it under its shared lock
    (`afi_votes.round_for_voter`)."""
    vote_round, afi = _lock_for_vote(session, click.round_id, click.afi_id, locked_round)
    if vote_round is None:
        return None

    def result(outcome: VoteOutcome) -> VoteResult:
        return _result(outcome, vote_round, afi)

    if vote_round.closed_at is not None:
        return result(VoteOutcome.VOTE_CLOSED)
    if afi is None or afi.review_id != vote_round.review_id or afi.status != AfiStatus.ACTIVE:
        return result(VoteOutcome.NOT_ON_BALLOT)
    if vote_round.tie_break_of is not None and afi.id not in vote_round.tie_candidates:
        return result(VoteOutcome.NOT_ON_BALLOT)
    _serialise_voter(session, click)
    if not _claim_click(session, click):
        return result(VoteOutcome.REPEATED_CLICK)
    if click.toggle:
        return result(_toggle_vote(session, vote_round, click, now))
    if click.adding:
        return result(_add_vote(session, vote_round, click, now))
    return result(_remove_vote(session, vote_round, click))


def _first_free(taken: set[int], limit: int) -> int | None:
    return next((slot for slot in range(1, limit + 1) if slot not in taken), None)


class _Held(NamedTuple):
    """One of a voter's votes: its slot in the budget, its AFI and its slot on that AFI."""

    slot: int
    afi_id: int
    afi_slot: int


def _votes_held(session: Session, vote_round: AfiVoteRound, voter_id: str) -> list[_Held]:
    rows = session.execute(
        select(AfiVote.slot, AfiVote.afi_id, AfiVote.afi_slot).where(
            AfiVote.round_id == vote_round.id, AfiVote.voter_id == voter_id
        )
    )
    return [_Held(*row) for row in rows]


def _add_vote(
    session: Session,
    vote_round: AfiVoteRound,
    click: VoteClick,
    now: datetime,
    held: list[_Held] | None = None,
) -> VoteOutcome:
    """Take the voter's first free slot. `held`: the voter's votes, just read after a
    double-click check, so the first attempt needn't look again."""
    for _ in range(SLOT_ATTEMPTS):
        if held is None:
            if _is_double_click(session, click):
                return VoteOutcome.REPEATED_CLICK
            held = _votes_held(session, vote_round, click.voter_id)
        rows, held = held, None
        slot = _first_free({row.slot for row in rows}, vote_round.budget)
        if slot is None:
            return VoteOutcome.BUDGET_SPENT
        afi_slot = _first_free(
            {row.afi_slot for row in rows if row.afi_id == click.afi_id}, vote_round.per_afi_cap
        )
        if afi_slot is None:
            return VoteOutcome.CAP_REACHED
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
            return VoteOutcome.ADDED
        # else a concurrent click by the same voter took the slot: look again
    raise RuntimeError("could not allocate a vote slot")


def _remove_vote(session: Session, vote_round: AfiVoteRound, click: VoteClick) -> VoteOutcome:
    for _ in range(SLOT_ATTEMPTS):
        if _is_double_click(session, click):
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
        deleted = session.execute(delete(AfiVote).where(AfiVote.id == vote_id))
        if deleted.rowcount == 1:  # type: ignore[attr-defined]
            return VoteOutcome.REMOVED
    raise RuntimeError("could not remove a vote")


def _toggle_vote(
    session: Session, vote_round: AfiVoteRound, click: VoteClick, now: datetime
) -> VoteOutcome:
    if _is_double_click(session, click):
        return VoteOutcome.REPEATED_CLICK
    held = _votes_held(session, vote_round, click.voter_id)
    on_afi = sum(1 for row in held if row.afi_id == click.afi_id)
    effect = toggle_effect(
        used=len(held), on_afi=on_afi, budget=vote_round.budget, cap=vote_round.per_afi_cap
    )
    if effect is ToggleEffect.ADD:
        return _add_vote(session, vote_round, click, now, held)
    if effect is ToggleEffect.NONE_LEFT:
        return VoteOutcome.BUDGET_SPENT
    session.execute(
        delete(AfiVote).where(
            AfiVote.round_id == vote_round.id,
            AfiVote.voter_id == click.voter_id,
            AfiVote.afi_id == click.afi_id,
        )
    )
    return VoteOutcome.REMOVED
