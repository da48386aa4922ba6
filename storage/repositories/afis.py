"""Areas for improvement: adding (with per-review numbering), listing, editing, merging,
withdrawing, and the prioritised list other features read."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from bot.afis.items import AfiItem
from storage.models.afis import Afi, AfiSource, AfiStatus, AfiVote, AfiVoteRound
from storage.models.reviews import Review
from storage.repositories.outbox import next_number
from storage.repositories.reviews import record_audit


@dataclass(frozen=True)
class NewAfi:
    text: str
    author_id: str
    section_number: int | None = None
    evidence: str = ""
    source: AfiSource = AfiSource.ADDED
    statement_id: str | None = None
    figures: dict[str, Any] = field(default_factory=dict)


def add_afi(*, session: Session, review_id: int, new: NewAfi, now: datetime) -> Afi:
    """Store an AFI with the review's next number (from its counter, locked until commit)."""
    afi = Afi(
        review_id=review_id,
        number=next_number(session=session, review_id=review_id, name="afi"),
        text=new.text,
        section_number=new.section_number,
        evidence=new.evidence,
        source=new.source.value,
        statement_id=new.statement_id,
        figures=new.figures,
        author_id=new.author_id,
        status=AfiStatus.ACTIVE.value,
        created_at=now,
        updated_at=now,
    )
    session.add(afi)
    session.flush()
    return afi


def list_afis(*, session: Session, review_id: int, include_inactive: bool = False) -> list[Afi]:
    """The review's AFIs by number; active ones only unless asked."""
    query = select(Afi).where(Afi.review_id == review_id).order_by(Afi.number)
    if not include_inactive:
        query = query.where(Afi.status == AfiStatus.ACTIVE.value)
    return list(session.scalars(query))


# What an AfiItem shows, read as plain columns: a ballot of every area is built on each
# vote click, and full ORM objects cost several times as much CPU to load.
_ITEM_COLUMNS = (
    Afi.id,
    Afi.number,
    Afi.text,
    Afi.section_number,
    Afi.evidence,
    Afi.source,
    Afi.author_id,
    Afi.rank,
    Afi.prioritised,
)


def active_afi_items(
    *,
    session: Session,
    review_id: int,
    votes_by_afi: Mapping[int, int] | None = None,
    only: Collection[int] | None = None,
) -> list[AfiItem]:
    """The review's active AFIs by number as items, with their votes; just those in `only`
    if given."""
    rows = session.execute(
        select(*_ITEM_COLUMNS)
        .where(Afi.review_id == review_id, Afi.status == AfiStatus.ACTIVE.value)
        .order_by(Afi.number)
    )
    votes = votes_by_afi or {}
    return [
        AfiItem(**row._asdict(), votes=votes.get(row.id, 0))
        for row in rows
        if only is None or row.id in only
    ]


def imported_statement_ids(*, session: Session, review_id: int) -> set[str]:
    """Checklist statements already imported as AFIs (kept even if later withdrawn)."""
    found = set(
        session.scalars(
            select(Afi.statement_id).where(
                Afi.review_id == review_id,
                Afi.source == AfiSource.CHECKLIST.value,
                Afi.statement_id.is_not(None),
            )
        ).all()
    )
    return {statement_id for statement_id in found if statement_id}


def afi_item(afi: Afi, votes: int = 0) -> AfiItem:
    return AfiItem(
        id=afi.id,
        number=afi.number,
        text=afi.text,
        section_number=afi.section_number,
        evidence=afi.evidence,
        source=afi.source,
        author_id=afi.author_id,
        votes=votes,
        rank=afi.rank,
        prioritised=afi.prioritised,
    )


def get_afi(*, session: Session, afi_id: int) -> Afi | None:
    return session.get(Afi, afi_id)


def prioritised_afis(*, session: Session, review_id: int) -> list[Afi]:
    """The AFIs the last closed vote prioritised, best ranked first (ties by number)."""
    return list(
        session.scalars(
            select(Afi)
            .where(
                Afi.review_id == review_id,
                Afi.status == AfiStatus.ACTIVE.value,
                Afi.prioritised.is_(True),
            )
            # An unranked AFI last on every database (SQLite sorts NULL first, PostgreSQL last).
            .order_by(Afi.rank.is_(None), Afi.rank, Afi.number)
        )
    )


@dataclass(frozen=True)
class AfiFacts:
    """What the stage gap checks need to know about a review's AFIs."""

    afi_count: int
    prioritised_afi_count: int
    vote_open: bool


def afi_facts(*, session: Session, review_id: int) -> AfiFacts:
    """One statement, counted by the database whatever the number of AFIs."""
    open_rounds = (
        select(func.count())
        .select_from(AfiVoteRound)
        .where(AfiVoteRound.review_id == review_id, AfiVoteRound.closed_at.is_(None))
        .scalar_subquery()
    )
    active, prioritised, rounds = session.execute(
        select(
            func.count(Afi.id),
            func.count(Afi.id).filter(Afi.prioritised.is_(True)),
            open_rounds,
        ).where(Afi.review_id == review_id, Afi.status == AfiStatus.ACTIVE.value)
    ).one()
    return AfiFacts(
        afi_count=int(active or 0),
        prioritised_afi_count=int(prioritised or 0),
        vote_open=bool(rounds),
    )


def _locked_active(session: Session, afi_id: int) -> Afi | None:
    """The AFI under an exclusive lock, so votes on it wait; None unless it is active."""
    afi = session.scalars(
        select(Afi)
        .where(Afi.id == afi_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).first()
    return afi if afi is not None and afi.status == AfiStatus.ACTIVE.value else None


def edit_afi(
    *,
    session: Session,
    review: Review,
    afi_id: int,
    text: str,
    section_number: int | None,
    evidence: str,
    actor_id: str,
    now: datetime,
) -> Afi | None:
    """Change an active AFI's wording, section and evidence; None if it is no longer active."""
    afi = _locked_active(session, afi_id)
    if afi is None or afi.review_id != review.id:
        return None
    before = afi.text
    afi.text, afi.section_number, afi.evidence, afi.updated_at = (
        text,
        section_number,
        evidence,
        now,
    )
    record_audit(
        session=session,
        review=review,
        actor_id=actor_id,
        action="afi.edited",
        details={"number": afi.number, "before": before, "after": text},
        now=now,
    )
    session.flush()
    return afi


def withdraw_afi(
    *, session: Session, review: Review, afi_id: int, actor_id: str, now: datetime
) -> Afi | None:
    """Withdraw an active AFI; its votes go back to the voters. None if already gone."""
    afi = _locked_active(session, afi_id)
    if afi is None or afi.review_id != review.id:
        return None
    afi.status, afi.updated_at, afi.prioritised, afi.rank = (
        AfiStatus.WITHDRAWN.value,
        now,
        False,
        None,
    )
    session.execute(delete(AfiVote).where(AfiVote.afi_id == afi.id))
    record_audit(
        session=session,
        review=review,
        actor_id=actor_id,
        action="afi.withdrawn",
        details={"number": afi.number},
        now=now,
    )
    session.flush()
    return afi


@dataclass(frozen=True)
class MergeResult:
    source: Afi
    target: Afi
    votes_moved: int
    votes_returned: int


def merge_afis(
    *,
    session: Session,
    review: Review,
    source_id: int,
    target_id: int,
    actor_id: str,
    now: datetime,
) -> MergeResult | None:
    """Merge `source` into `target`: source is marked merged and its votes move across.

    A voter who already has the per-AFI maximum on the target gets the surplus back
    instead, so nobody exceeds the cap; votes only move, so nobody exceeds the budget.
    None if either AFI is no longer active or they are the same.
    """
    if source_id == target_id:
        return None
    # Lock in id order so two opposite merges cannot deadlock.
    locked = {afi_id: _locked_active(session, afi_id) for afi_id in sorted((source_id, target_id))}
    source, target = locked[source_id], locked[target_id]
    if source is None or target is None or {source.review_id, target.review_id} != {review.id}:
        return None
    moved = returned = 0
    votes = list(
        session.scalars(select(AfiVote).where(AfiVote.afi_id == source.id).order_by(AfiVote.id))
    )
    for vote in votes:
        taken = set(
            session.scalars(
                select(AfiVote.afi_slot).where(
                    AfiVote.round_id == vote.round_id,
                    AfiVote.voter_id == vote.voter_id,
                    AfiVote.afi_id == target.id,
                )
            )
        )
        free = next((slot for slot in range(1, vote.per_afi_cap + 1) if slot not in taken), None)
        if free is None:
            session.delete(vote)
            returned += 1
        else:
            vote.afi_id, vote.afi_slot = target.id, free
            moved += 1
        session.flush()
    source.status, source.merged_into_id, source.updated_at = (
        AfiStatus.MERGED.value,
        target.id,
        now,
    )
    source.prioritised, source.rank = False, None
    target.updated_at = now
    record_audit(
        session=session,
        review=review,
        actor_id=actor_id,
        action="afi.merged",
        details={
            "from": source.number,
            "into": target.number,
            "votes_moved": moved,
            "votes_returned": returned,
        },
        now=now,
    )
    session.flush()
    return MergeResult(source, target, moved, returned)
