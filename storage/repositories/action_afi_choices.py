"""The areas for improvement an action may be linked to, for the action form."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.core.actions import AfiRef
from storage.models.afis import Afi, AfiStatus
from storage.repositories.improvement_actions import afi_ref


def afi_choices(*, session: Session, review_id: int) -> tuple[list[AfiRef], list[AfiRef]]:
    """Active AFIs to link an action to: (prioritised by rank, the others by number)."""
    afis = session.scalars(
        select(Afi)
        .where(Afi.review_id == review_id, Afi.status == AfiStatus.ACTIVE.value)
        .order_by(Afi.number)
    ).all()
    prioritised = sorted(
        (afi for afi in afis if afi.prioritised),
        key=lambda afi: (afi.rank is None, afi.rank or 0, afi.number),
    )
    others = [afi for afi in afis if not afi.prioritised]
    return [afi_ref(afi) for afi in prioritised], [afi_ref(afi) for afi in others]


def afi_in_review(*, session: Session, review_id: int, afi_id: int) -> Afi | None:
    afi = session.get(Afi, afi_id)
    return afi if afi is not None and afi.review_id == review_id else None
