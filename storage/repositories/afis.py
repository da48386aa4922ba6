"""Areas for improvement: adding (numbered per review), reading, changing one (edit, withdraw,
merge into another) and which AFI each counts as after merges.

A change locks the AFIs it touches, so votes on them wait (see afi_votes)."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, TypeVar

from sqlalchemy import bindparam, case, delete, func, select
from sqlalchemy.orm import Session, aliased

from bot.core.afis import AfiItem
from storage.models.afis import Afi, AfiSource, AfiStatus, AfiVote, AfiVoteRound
from storage.repositories._sql import all_of
from storage.repositories.counters import add_numbered

_Row = TypeVar("_Row", Afi, AfiVoteRound)


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
    afi = Afi(
        review_id=review_id,
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
    return add_numbered(session, afi, "afi")


def get_afi(*, session: Session, afi_id: int) -> Afi | None:
    return session.get(Afi, afi_id)


def list_afis(*, session: Session, review_id: int, include_inactive: bool = False) -> list[Afi]:
    """The review's AFIs by number; active ones only unless asked."""
    query = select(Afi).where(Afi.review_id == review_id).order_by(Afi.number)
    if not include_inactive:
        query = query.where(Afi.status == AfiStatus.ACTIVE.value)
    return list(session.scalars(query))


def active_afi_texts(
    *, session: Session, review_id: int, numbers: Collection[str]
) -> dict[int, str]:
    """Each active AFI's number → its text, as plain columns, of those that could say the
    same as a text with these `numbers` in it: AFIs with other numbers never do (see
    `looks_like`), so the database leaves out those without each, or with any if none."""
    where = [Afi.review_id == review_id, Afi.status == AfiStatus.ACTIVE.value]
    if numbers:
        where += [Afi.text.contains(number) for number in numbers]
    else:
        where += [~Afi.text.contains(digit) for digit in "0123456789"]
    return {
        number: text
        # by number: of equal matches, the lowest-numbered AFI is named, as before
        for number, text in session.execute(
            select(Afi.number, Afi.text).where(*where).order_by(Afi.number)
        )
    }


# What an AfiItem shows, read as plain columns: the voting message lists every area, and
# full ORM objects cost several times as much CPU to load.
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
    return [_item(row, votes.get(row.id, 0)) for row in rows if only is None or row.id in only]


def _item(row: Any, votes: int = 0) -> AfiItem:
    """An item from a row of `_ITEM_COLUMNS` (by position: `_asdict` per row costs more than
    the rest of a 2,000-AFI ballot)."""
    afi_id, number, text, section_number, evidence, source, author_id, rank, prioritised = row[:9]
    return AfiItem(
        id=afi_id,
        number=number,
        text=text,
        section_number=section_number,
        evidence=evidence,
        source=source,
        author_id=author_id,
        votes=votes,
        rank=rank,
        prioritised=prioritised,
    )


def first_active_afi_items(
    *,
    session: Session,
    review_id: int,
    limit: int,
    first: Collection[int] = (),
    only: Collection[int] | None = None,
) -> tuple[list[AfiItem], int]:
    """At most `limit` of the review's active AFIs (those in `only`, if given), chosen
    from those in `first` before the rest, lowest numbers first, and returned in number
    order; and how many there are in all. One statement whatever the number of AFIs (the
    count is an uncorrelated subquery)."""
    where = [Afi.review_id == review_id, Afi.status == AfiStatus.ACTIVE.value]
    if only is not None:
        where.append(Afi.id.in_(list(only)))
    total = select(func.count()).select_from(Afi).where(*where).scalar_subquery()
    order: list[Any] = [Afi.number]
    if first:
        order.insert(0, case((Afi.id.in_(list(first)), 0), else_=1))
    rows = session.execute(
        select(*_ITEM_COLUMNS, total.label("total")).where(*where).order_by(*order).limit(limit)
    ).all()
    items = sorted((_item(row) for row in rows), key=lambda item: item.number)
    return items, int(rows[0][-1]) if rows else 0


_VOTES_IN_ROUND = (
    select(func.count())
    .where(AfiVote.round_id == bindparam("round_id"), AfiVote.afi_id == Afi.id)
    .scalar_subquery()
)
# Built once: the list asks on every call, and building a statement costs as much as running it.
_ITEMS_WITH_VOTES = (
    select(*_ITEM_COLUMNS, _VOTES_IN_ROUND)
    .where(Afi.review_id == bindparam("review_id"), Afi.status == AfiStatus.ACTIVE.value)
    .order_by(Afi.number)
    .offset(bindparam("offset"))
    .limit(bindparam("limit"))
)


def afi_items_with_votes(
    *, session: Session, review_id: int, round_id: int | None, offset: int, limit: int
) -> list[AfiItem]:
    """`limit` of the review's active AFIs by number from `offset`, each with its votes in
    the round `round_id` (counted by the database for those AFIs only)."""
    values = {"review_id": review_id, "round_id": round_id, "offset": offset, "limit": limit}
    return [_item(row, int(row[9])) for row in session.execute(_ITEMS_WITH_VOTES, values)]


def afi_item(afi: Afi) -> AfiItem:
    return AfiItem(**{column.key: getattr(afi, column.key) for column in _ITEM_COLUMNS})


def imported_statement_ids(*, session: Session, review_id: int) -> set[str]:
    """Checklist statements already imported as AFIs (kept even if later withdrawn)."""
    found = session.scalars(
        select(Afi.statement_id).where(
            Afi.review_id == review_id,
            Afi.source == AfiSource.CHECKLIST.value,
            Afi.statement_id.is_not(None),
        )
    )
    return {statement_id for statement_id in found if statement_id}


def prioritised_afis(*, session: Session, review_id: int) -> list[Afi]:
    """The AFIs the last closed vote prioritised, best ranked first (ties by number)."""
    return all_of(
        session,
        select(Afi)
        .where(
            Afi.review_id == review_id,
            Afi.status == AfiStatus.ACTIVE.value,
            Afi.prioritised.is_(True),
        )
        # An unranked AFI last on every database (SQLite sorts NULL first, PostgreSQL last).
        .order_by(Afi.rank.is_(None), Afi.rank, Afi.number),
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
            func.count(Afi.id), func.count(Afi.id).filter(Afi.prioritised.is_(True)), open_rounds
        ).where(Afi.review_id == review_id, Afi.status == AfiStatus.ACTIVE.value)
    ).one()
    return AfiFacts(
        afi_count=int(active or 0),
        prioritised_afi_count=int(prioritised or 0),
        vote_open=bool(rounds),
    )


def read_locked(session: Session, table: type[_Row], row_id: int, *, shared: bool) -> _Row | None:
    """The row read afresh under a lock: a shared one lets other readers in, not writers."""
    query = select(table).where(table.id == row_id).with_for_update(read=shared)
    return session.scalars(query.execution_options(populate_existing=True)).first()


def first_free(taken: set[int], limit: int) -> int | None:
    return next((slot for slot in range(1, limit + 1) if slot not in taken), None)


def locked_active_afi(*, session: Session, review_id: int, afi_id: int) -> Afi | None:
    """The review's AFI under an exclusive lock, so votes on it wait; None unless active."""
    afi = read_locked(session, Afi, afi_id, shared=False)
    if afi is None or afi.status != AfiStatus.ACTIVE.value or afi.review_id != review_id:
        return None
    return afi


def withdraw_afi(*, session: Session, review_id: int, afi_id: int, now: datetime) -> Afi | None:
    """Withdraw an active AFI; its votes go back to the voters. None if already gone."""
    afi = locked_active_afi(session=session, review_id=review_id, afi_id=afi_id)
    if afi is None:
        return None
    afi.status, afi.updated_at = AfiStatus.WITHDRAWN.value, now
    afi.prioritised, afi.rank = False, None
    session.execute(delete(AfiVote).where(AfiVote.afi_id == afi.id))
    session.flush()
    return afi


@dataclass(frozen=True)
class MergeResult:
    source: Afi
    target: Afi
    votes_moved: int
    votes_returned: int


def merge_afis(
    *, session: Session, review_id: int, source_id: int, target_id: int, now: datetime
) -> MergeResult | None:
    """Merge `source` into `target`, moving its votes (a voter at the cap on the target gets
    the surplus back); None if either is no longer active or they are the same."""
    if source_id == target_id:
        return None
    # Lock in id order so two opposite merges cannot deadlock.
    locked = {
        afi_id: locked_active_afi(session=session, review_id=review_id, afi_id=afi_id)
        for afi_id in sorted((source_id, target_id))
    }
    source, target = locked[source_id], locked[target_id]
    if source is None or target is None:
        return None
    moved = returned = 0
    votes = session.scalars(select(AfiVote).where(AfiVote.afi_id == source.id).order_by(AfiVote.id))
    for vote in list(votes):
        taken = set(
            session.scalars(
                select(AfiVote.afi_slot).where(
                    AfiVote.round_id == vote.round_id,
                    AfiVote.voter_id == vote.voter_id,
                    AfiVote.afi_id == target.id,
                )
            )
        )
        free = first_free(taken, vote.per_afi_cap)
        if free is None:
            session.delete(vote)
            returned += 1
        else:
            vote.afi_id, vote.afi_slot = target.id, free
            moved += 1
        session.flush()
    source.status, source.merged_into_id = AfiStatus.MERGED.value, target.id
    source.updated_at = target.updated_at = now
    source.prioritised, source.rank = False, None
    session.flush()
    return MergeResult(source, target, moved, returned)


def current_afis(
    *, session: Session, review_id: int, only: Collection[int] | None = None
) -> dict[int, Afi]:
    """Every AFI id of the review (at least those in `only`, if given) → the AFI it counts as
    now (itself unless merged), so findings, sessions and options follow their AFI through
    merges (as actions do)."""
    if only is not None:
        # Just these, unless one was merged (rare): then its chain needs the review's AFIs.
        query = select(Afi).where(Afi.review_id == review_id, Afi.id.in_(list(only)))
        found = {afi.id: afi for afi in session.scalars(query)}
        if all(afi.status != AfiStatus.MERGED.value for afi in found.values()):
            return found
    afis = {afi.id: afi for afi in session.scalars(select(Afi).where(Afi.review_id == review_id))}
    now = current_ids(
        {
            afi_id: afi.merged_into_id if afi.status == AfiStatus.MERGED.value else None
            for afi_id, afi in afis.items()
        }
    )
    return {afi_id: afis[current] for afi_id, current in now.items()}


def current_ids(merged_into: Mapping[int, int | None]) -> dict[int, int]:
    """Each AFI id → the id it counts as now, given every AFI of a review with what it was
    merged into (None unless merged), as `current_afis` resolves them."""
    resolved: dict[int, int] = {}
    for afi_id in merged_into:
        seen, current = {afi_id}, afi_id
        while (target := merged_into[current]) in merged_into and target not in seen:
            assert target is not None  # the mapping's keys are ids
            seen.add(target)
            current = target
        resolved[afi_id] = current
    return resolved


def merged_sources(*, session: Session, afi_id: int) -> dict[int, int]:
    """The AFIs merged (directly or not) into `afi_id`, id → number, in one statement
    whatever the size of the review."""
    sources = (
        select(Afi.id, Afi.number)
        .where(Afi.merged_into_id == afi_id, Afi.status == AfiStatus.MERGED.value)
        .cte("sources", recursive=True)
    )
    earlier = aliased(Afi)
    sources = sources.union(  # UNION, not UNION ALL: a merge cycle ends rather than loops
        select(earlier.id, earlier.number)
        .join(sources, earlier.merged_into_id == sources.c.id)
        .where(earlier.status == AfiStatus.MERGED.value)
    )
    return {
        int(source_id): int(number)
        for source_id, number in session.execute(select(sources.c.id, sources.c.number))
        if source_id != afi_id
    }
