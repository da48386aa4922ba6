"""What the scheduler's action reminders and the weekly digest read about improvement
actions: unfinished actions by due date, and how many were logged and finished in a week."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from bot.core.actions import UNFINISHED, ActionStatus
from storage.models.improvement_actions import Action, ActionStatusChange

_UNFINISHED_VALUES = [status.value for status in UNFINISHED]


@dataclass(frozen=True)
class DueAction:
    """An unfinished action as the reminder planner needs it."""

    id: int
    review_id: int
    number: int
    owner_id: str
    due: date
    created_at: datetime


def unfinished_due_between(
    *, session: Session, review_ids: list[int], first: date, last: date
) -> list[DueAction]:
    """Unfinished actions of the reviews due from `first` to `last`, by review and number."""
    rows = session.execute(
        select(
            Action.id,
            Action.review_id,
            Action.number,
            Action.owner_id,
            Action.due,
            Action.created_at,
        )
        .where(
            Action.review_id.in_(review_ids),
            Action.status.in_(_UNFINISHED_VALUES),
            Action.due >= first,
            Action.due <= last,
        )
        .order_by(Action.review_id, Action.number)
    ).all()
    return [DueAction(*row) for row in rows]


def earliest_unfinished_due(
    *, session: Session, review_ids: list[int], before: date
) -> dict[int, date]:
    """Each review's earliest due date among unfinished actions, where it is before `before`."""
    rows = session.execute(
        select(Action.review_id, func.min(Action.due))
        .where(Action.review_id.in_(review_ids), Action.status.in_(_UNFINISHED_VALUES))
        .group_by(Action.review_id)
        .having(func.min(Action.due) < before)
    )
    return {review_id: due for review_id, due in rows}


def overdue_actions(*, session: Session, review_id: int, today: date) -> list[Action]:
    """The review's unfinished actions due before `today`."""
    return list(
        session.scalars(
            select(Action).where(
                Action.review_id == review_id,
                Action.status.in_(_UNFINISHED_VALUES),
                Action.due < today,
            )
        ).unique()
    )


def actions_logged_and_completed(
    *, session: Session, review_id: int, since: datetime, until: datetime
) -> tuple[int, int]:
    """How many of the review's actions were logged, and how many marked done, in [since, until)."""
    logged = session.scalar(
        select(func.count())
        .select_from(Action)
        .where(Action.review_id == review_id, Action.created_at >= since, Action.created_at < until)
    )
    completed = session.scalar(
        select(func.count())
        .select_from(ActionStatusChange)
        .join(Action, Action.id == ActionStatusChange.action_id)
        .where(
            Action.review_id == review_id,
            ActionStatusChange.to_status == ActionStatus.DONE.value,
            ActionStatusChange.at >= since,
            ActionStatusChange.at < until,
        )
    )
    return int(logged or 0), int(completed or 0)
