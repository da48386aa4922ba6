"""Actions read as the items builders show, from plain columns rather than ORM objects.

The action list and the Home tab show every action of a review (or every action a person
owns); loading each as an ORM object with its AFI cost several times the CPU of reading the
same columns, and grew with the plan. These give the same `ActionItem`s as `item_of`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import Row, func, select
from sqlalchemy.orm import Session

from bot.core.actions import UNFINISHED, ActionItem, ActionStatus, AfiRef, RagStatus
from storage.models.afis import Afi, AfiStatus
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.repositories.improvement_actions import afi_ref, follow_merges

_ACTION_COLUMNS = (
    Action.id,
    Action.review_id,
    Action.number,
    Action.key_action,
    Action.owner_id,
    Action.due,
    Action.status,
    Action.risks,
    Action.measure,
    Action.outcome,
    Action.drop_reason,
    Action.created_by,
    Action.created_at,
    Action.status_changed_by,
    Action.status_changed_at,
    Action.channel_id,
    Action.message_ts,
    Action.rag,
)
_AFI_COLUMNS = (
    Afi.id.label("afi_id"),
    Afi.number.label("afi_number"),
    Afi.text.label("afi_text"),
    Afi.prioritised.label("afi_prioritised"),
    Afi.rank.label("afi_rank"),
    Afi.status.label("afi_status"),
)
_ITEMS = select(*_ACTION_COLUMNS, *_AFI_COLUMNS).outerjoin(Afi, Afi.id == Action.afi_id)


def review_action_items(*, session: Session, review_id: int) -> list[ActionItem]:
    """Every action of the review, by number (as `review_actions` with `item_of`)."""
    rows = session.execute(_ITEMS.where(Action.review_id == review_id).order_by(Action.number))
    return [_item(session, row) for row in rows]


def owned_action_items(*, session: Session, user_id: str) -> list[ActionItem]:
    """The user's actions in every open review, soonest due first, whichever workspace
    opened it (a review in a Slack Connect channel is found by its channel, so its owners
    may be anywhere)."""
    rows = session.execute(
        _ITEMS.join(Review, Review.id == Action.review_id)
        .where(Review.closed_at.is_(None), Action.owner_id == user_id)
        .order_by(Action.due, Action.id)
    )
    return [_item(session, row) for row in rows]


def unfinished_and_overdue(*, session: Session, review_id: int, today: date) -> tuple[int, int]:
    """How many of the review's actions are unfinished, and how many of those are overdue."""
    unfinished = Action.status.in_([status.value for status in UNFINISHED])
    still_open, overdue = session.execute(
        select(
            func.count(Action.id).filter(unfinished),
            func.count(Action.id).filter(unfinished, Action.due < today),
        ).where(Action.review_id == review_id)
    ).one()
    return int(still_open), int(overdue)


def _item(session: Session, row: Row[*tuple[Any, ...]]) -> ActionItem:
    return ActionItem(
        id=row.id,
        review_id=row.review_id,
        number=row.number,
        key_action=row.key_action,
        owner_id=row.owner_id,
        due=row.due,
        status=ActionStatus(row.status),
        afi=_afi(session, row),
        risks=row.risks,
        measure=row.measure,
        outcome=row.outcome,
        drop_reason=row.drop_reason,
        created_by=row.created_by,
        created_at=row.created_at,
        status_changed_by=row.status_changed_by,
        status_changed_at=row.status_changed_at,
        channel_id=row.channel_id,
        message_ts=row.message_ts,
        rag=RagStatus(row.rag) if row.rag else None,
    )


def _afi(session: Session, row: Row[*tuple[Any, ...]]) -> AfiRef | None:
    if row.afi_id is None:
        return None
    if row.afi_status != AfiStatus.MERGED.value:
        return AfiRef(row.afi_id, row.afi_number, row.afi_text, row.afi_prioritised, row.afi_rank)
    # Rare: the AFI was merged, so the action counts under the one it was merged into.
    merged = session.get(Afi, row.afi_id)
    assert merged is not None  # just read in the same transaction
    return afi_ref(follow_merges(session, merged))
