"""Improvement actions: logging (per-review numbering), editing, status changes, listing."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date, datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, object_session

from bot.core.actions import ActionItem, ActionStatus, AfiRef, RagStatus
from storage.models.afis import Afi, AfiStatus
from storage.models.improvement_actions import Action, ActionStatusChange
from storage.models.reviews import Review
from storage.repositories.counters import next_number
from storage.repositories.reviews import record_audit


@dataclass(frozen=True)
class ActionFields:
    """What a person fills in when logging or editing an action."""

    key_action: str
    owner_id: str
    due: date
    afi_id: int | None = None
    risks: str = ""
    measure: str = ""
    outcome: str = ""


def afi_ref(afi: Afi) -> AfiRef:
    return AfiRef(afi.id, afi.number, afi.text, afi.prioritised, afi.rank)


def current_afi(action: Action) -> Afi | None:
    """The AFI the action addresses now: an AFI merged into another counts as that one."""
    session = object_session(action)
    if action.afi is None or session is None:
        return action.afi
    return follow_merges(session, action.afi)


def follow_merges(session: Session, afi: Afi) -> Afi:
    """The AFI that `afi` counts as now: itself unless merged into another."""
    seen: set[int] = set()
    while (
        afi.status == AfiStatus.MERGED.value
        and afi.merged_into_id is not None
        and afi.id not in seen
    ):
        seen.add(afi.id)
        afi = session.get(Afi, afi.merged_into_id) or afi
    return afi


def item_of(action: Action) -> ActionItem:
    afi = current_afi(action)
    return ActionItem(
        id=action.id,
        review_id=action.review_id,
        number=action.number,
        key_action=action.key_action,
        owner_id=action.owner_id,
        due=action.due,
        status=ActionStatus(action.status),
        afi=afi_ref(afi) if afi else None,
        risks=action.risks,
        measure=action.measure,
        outcome=action.outcome,
        drop_reason=action.drop_reason,
        created_by=action.created_by,
        created_at=action.created_at,
        status_changed_by=action.status_changed_by,
        status_changed_at=action.status_changed_at,
        channel_id=action.channel_id,
        message_ts=action.message_ts,
        rag=RagStatus(action.rag) if action.rag else None,
    )


def add_action(
    *, session: Session, review_id: int, fields: ActionFields, actor_id: str, now: datetime
) -> Action:
    """Store an action with the review's next number (from its counter, locked until commit)."""
    action = Action(
        review_id=review_id,
        number=next_number(session=session, review_id=review_id, name="action"),
        status=ActionStatus.OPEN.value,
        drop_reason="",
        created_by=actor_id,
        created_at=now,
        updated_at=now,
        **asdict(fields),
    )
    session.add(action)
    session.flush()
    audit_action(session, action, actor_id, "action.logged", {"owner": fields.owner_id}, now)
    session.refresh(action)
    return action


def change_status(
    *,
    session: Session,
    action: Action,
    expected: ActionStatus,
    target: ActionStatus,
    actor_id: str,
    now: datetime,
    reason: str = "",
) -> bool:
    """Move the action from `expected` to `target`, recording who and when.

    A compare-and-set: False if someone changed the status first, so two people clicking
    "Mark done" at once record one change.
    """
    result = session.execute(
        update(Action)
        .where(Action.id == action.id, Action.status == expected.value)
        .values(
            status=target.value,
            drop_reason=reason if target is ActionStatus.DROPPED else "",
            status_changed_by=actor_id,
            status_changed_at=now,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    if result.rowcount != 1:  # type: ignore[attr-defined]
        return False
    session.add(
        ActionStatusChange(
            action_id=action.id,
            actor_id=actor_id,
            from_status=expected.value,
            to_status=target.value,
            reason=reason,
            at=now,
        )
    )
    audit_action(
        session,
        action,
        actor_id,
        "action.status",
        {"from": expected.value, "to": target.value},
        now,
    )
    session.flush()
    session.refresh(action)
    return True


def get_action(*, session: Session, action_id: int) -> Action | None:
    return session.get(Action, action_id)


def action_by_number(*, session: Session, review_id: int, number: int) -> Action | None:
    return session.scalars(
        select(Action).where(Action.review_id == review_id, Action.number == number)
    ).first()


def review_actions(*, session: Session, review_id: int) -> list[Action]:
    """Every action of the review, by number."""
    return list(
        session.scalars(
            select(Action).where(Action.review_id == review_id).order_by(Action.number)
        ).unique()
    )


def actions_owned_by(*, session: Session, user_id: str) -> list[Action]:
    """The user's actions in every open review, whichever workspace opened it (a review in
    a Slack Connect channel is found by its channel, so its owners may be anywhere). For
    items to show, `owned_action_items` reads the same rows as columns, far cheaper."""
    return list(
        session.scalars(
            select(Action)
            .join(Review, Review.id == Action.review_id)
            .where(
                Review.closed_at.is_(None),
                Action.owner_id == user_id,
            )
            .order_by(Action.due, Action.id)
        ).unique()
    )


def action_counts(*, session: Session, review_id: int) -> tuple[int, int]:
    """(all actions, unfinished actions) of the review, for the stage gap checks."""
    unfinished = [ActionStatus.OPEN.value, ActionStatus.IN_PROGRESS.value]
    total, still_open = session.execute(
        select(
            func.count(Action.id),
            func.count(Action.id).filter(Action.status.in_(unfinished)),
        ).where(Action.review_id == review_id)
    ).one()
    return int(total), int(still_open)


def audit_action(
    session: Session,
    action: Action,
    actor_id: str,
    what: str,
    details: dict[str, object],
    now: datetime,
) -> None:
    review = session.get(Review, action.review_id)
    assert review is not None  # the foreign key guarantees it
    record_audit(
        session=session,
        review=review,
        actor_id=actor_id,
        action=what,
        details={"number": action.number, **details},
        now=now,
    )
