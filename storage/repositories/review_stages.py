"""Moving a review between stages (a compare-and-set, audited) and finding where a closed
review was when it closed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.stages import Stage
from storage.models.reviews import AuditEvent, Review
from storage.repositories.reviews import ReviewAlreadyOpen, record_audit


def set_stage(
    *,
    session: Session,
    review: Review,
    expected: Stage,
    stage: Stage,
    actor_id: str,
    now: datetime,
) -> bool:
    """Move the review from `expected` to `stage`, auditing it; Closed sets `closed_at`.

    A compare-and-set: False if someone else changed the stage first, so two leads
    clicking at once move the review once. Reopening raises ReviewAlreadyOpen if the
    channel has another open review by now.
    """
    try:
        with session.begin_nested():
            result = session.execute(
                update(Review)
                .where(Review.id == review.id, Review.stage == expected.value)
                .values(stage=stage.value, closed_at=now if stage is Stage.CLOSED else None)
                .execution_options(synchronize_session=False)
            )
    except IntegrityError as error:
        raise ReviewAlreadyOpen(review.channel_id) from error
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.refresh(review)
    record_audit(
        session=session,
        review=review,
        actor_id=actor_id,
        action="stage.changed",
        details={"from": expected.value, "to": stage.value},
        now=now,
    )
    session.flush()
    return True


def stage_before_closing(*, session: Session, review_id: int) -> Stage | None:
    """The stage a closed review was in when it was closed (where reopening returns it)."""
    for event in session.scalars(
        select(AuditEvent)
        .where(AuditEvent.review_id == review_id, AuditEvent.action == "stage.changed")
        .order_by(AuditEvent.id.desc())
    ):
        if event.details.get("to") == Stage.CLOSED.value:
            return Stage(event.details["from"])
    return None
