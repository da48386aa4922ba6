"""Changing an area for improvement: editing its wording, withdrawing it (its votes go back
to the voters) and merging it into another (its votes move across, within each voter's cap).
Each locks the AFIs it changes, so votes on them wait."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from storage.models.afis import Afi, AfiStatus, AfiVote
from storage.models.reviews import Review
from storage.repositories.reviews import record_audit


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
