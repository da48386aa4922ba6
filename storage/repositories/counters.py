"""Per-review numbering (AFIs, actions, findings…), safe under concurrent adds."""

from __future__ import annotations

from sqlalchemy import update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from storage.models.counters import ReviewCounter


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
    try:
        with session.begin_nested():
            session.add(ReviewCounter(review_id=review_id, name=name, value=1))
            session.flush()
    except IntegrityError:  # someone else numbered the review's first item at the same moment
        return int(session.scalar(bump) or 0)
    return 1
