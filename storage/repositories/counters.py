"""Per-review numbering (AFIs, actions, findings…), safe under concurrent adds."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.orm import Session

from storage.models.counters import ReviewCounter
from storage.repositories._sql import added


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
