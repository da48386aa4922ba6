"""Areas for improvement: adding (with per-review numbering) and listing."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models_afi import Afi, AfiSource, AfiStatus

NUMBERING_ATTEMPTS = 20


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
    """Store an AFI with the next free number in its review.

    Two people adding at once may pick the same number; the unique constraint rejects
    the second, which retries with the next number inside a savepoint.
    """
    for _ in range(NUMBERING_ATTEMPTS):
        number = (
            session.scalar(select(func.max(Afi.number)).where(Afi.review_id == review_id)) or 0
        ) + 1
        afi = Afi(
            review_id=review_id,
            number=number,
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
        try:
            with session.begin_nested():
                session.add(afi)
                session.flush()
        except IntegrityError:
            continue
        return afi
    raise RuntimeError("could not allocate an AFI number")


def list_afis(*, session: Session, review_id: int, include_inactive: bool = False) -> list[Afi]:
    """The review's AFIs by number; active ones only unless asked."""
    query = select(Afi).where(Afi.review_id == review_id).order_by(Afi.number)
    if not include_inactive:
        query = query.where(Afi.status == AfiStatus.ACTIVE.value)
    return list(session.scalars(query))


def afi_by_number(*, session: Session, review_id: int, number: int) -> Afi | None:
    return session.scalars(
        select(Afi).where(Afi.review_id == review_id, Afi.number == number)
    ).first()


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
