"""The scheduler's passes: when each last finished."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models.passes import SchedulerPass


def record_finished(*, session: Session, name: str, at: datetime) -> None:
    row = session.get(SchedulerPass, name, with_for_update=True)
    if row is None:
        session.add(SchedulerPass(name=name, finished_at=at))
    else:
        row.finished_at = at


def last_finished(*, session: Session) -> dict[str, datetime]:
    return {row.name: row.finished_at for row in session.scalars(select(SchedulerPass))}
