"""Areas for improvement: adding (with per-review numbering), listing, and the prioritised
list other features read. Changing one (edit, merge, withdraw) is in `afi_changes`."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.afis import AfiItem
from storage.models.afis import Afi, AfiSource, AfiStatus, AfiVoteRound
from storage.repositories.counters import next_number


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
