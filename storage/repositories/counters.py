"""Per-review numbering (AFIs, actions, findings…), safe under concurrent adds."""

from __future__ import annotations

from typing import TypeVar

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.models.afis import Afi
from storage.models.counters import ReviewCounter
from storage.models.fieldwork import FieldworkSession
from storage.models.findings import Finding
from storage.models.improvement_actions import Action
from storage.models.report import ReportVersion
from storage.repositories._sql import added

_Numbered = TypeVar("_Numbered", Afi, Action, FieldworkSession, Finding, ReportVersion)


def next_number(*, session: Session, review_id: int, name: str) -> int:
    """The review's next number for `name` ("afi", "action"): the counter row is locked
    until the transaction ends, so concurrent adds queue and each gets its own number."""
    bump = (
        update(ReviewCounter)
        .where(ReviewCounter.review_id == review_id, ReviewCounter.name == name)
        .values(value=ReviewCounter.value + 1)
        .returning(ReviewCounter.value)
        .execution_options(synchronize_session=False)
    )
    value = session.scalar(bump)
    if value is not None:
        return int(value)
    if added(session, ReviewCounter(review_id=review_id, name=name, value=1)):
        return 1
    # Someone else numbered the review's first item at the same moment.
    return int(session.scalar(bump) or 0)


def add_numbered(session: Session, row: _Numbered, name: str) -> _Numbered:
    """Store `row` with its review's next `name` number (see `next_number`)."""
    row.number = next_number(session=session, review_id=row.review_id, name=name)
    session.add(row)
    session.flush()
    return row
