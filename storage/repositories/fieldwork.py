"""Fieldwork sessions: planning (per-review numbering), editing, cancelling, listing, and the
schedule message's whereabouts."""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.core.afis import afi_figures_line
from bot.core.fieldwork import (
    AfiLabel,
    FieldworkKind,
    FieldworkMode,
    FieldworkSessionFields,
    FieldworkSessionItem,
    FieldworkStatus,
)
from storage.models.afis import Afi, AfiStatus
from storage.models.fieldwork import (
    FieldworkSchedule,
    FieldworkSession,
    FieldworkSessionAfi,
    FieldworkSessionRunner,
)
from storage.repositories.afis import current_afis
from storage.repositories.counters import add_numbered

PLANNED = FieldworkSession.status == FieldworkStatus.PLANNED.value


def _apply(row: FieldworkSession, fields: FieldworkSessionFields) -> None:
    row.kind = fields.kind.value
    row.day = fields.day
    row.start_minute = fields.start_minute
    row.minutes = fields.minutes
    row.participants = fields.participants
    row.participant_count = fields.participant_count
    row.mode = fields.mode.value
    row.afi_links = [FieldworkSessionAfi(afi_id=afi_id) for afi_id in fields.afi_ids]
    row.runner_links = [
        FieldworkSessionRunner(user_id=user_id, position=position)
        for position, user_id in enumerate(fields.runners)
    ]


def add_fieldwork_session(
    *,
    session: Session,
    review_id: int,
    fields: FieldworkSessionFields,
    actor_id: str,
    now: datetime,
) -> FieldworkSession:
    row = FieldworkSession(
        review_id=review_id,
        status=FieldworkStatus.PLANNED.value,
        created_by=actor_id,
        created_at=now,
        updated_at=now,
    )
    _apply(row, fields)
    return add_numbered(session, row, "fieldwork_session")


def edit_fieldwork_session(
    *, session: Session, row: FieldworkSession, fields: FieldworkSessionFields, now: datetime
) -> None:
    # The old links go first: new ones may have the same keys.
    row.afi_links.clear()
    row.runner_links.clear()
    session.flush()
    _apply(row, fields)
    row.updated_at = now
    session.flush()


def cancel_fieldwork_session(*, session: Session, row: FieldworkSession, now: datetime) -> None:
    row.status, row.updated_at = FieldworkStatus.CANCELLED.value, now
    session.flush()


def get_fieldwork_session(
    *, session: Session, fieldwork_session_id: int
) -> FieldworkSession | None:
    return session.get(FieldworkSession, fieldwork_session_id)


def fieldwork_session_items(
    *, session: Session, review_id: int, include_cancelled: bool = True
) -> list[FieldworkSessionItem]:
    """The review's sessions in date order, with the AFIs they probe as they stand now."""
    query = (
        select(FieldworkSession)
        .where(FieldworkSession.review_id == review_id)
        .options(
            selectinload(FieldworkSession.afi_links), selectinload(FieldworkSession.runner_links)
        )
        .order_by(FieldworkSession.day, FieldworkSession.start_minute, FieldworkSession.number)
    )
    if not include_cancelled:
        query = query.where(PLANNED)
    rows = list(session.scalars(query))
    linked = {link.afi_id for row in rows for link in row.afi_links}
    afis = current_afis(session=session, review_id=review_id, only=linked) if linked else {}
    return [fieldwork_session_item(row, afis) for row in rows]


def fieldwork_session_item(row: FieldworkSession, afis: dict[int, Afi]) -> FieldworkSessionItem:
    """The session as an item; `afis` is `current_afis` of its review (a merged AFI's
    sessions probe the AFI it was merged into)."""
    labels: dict[int, AfiLabel] = {}
    for link in row.afi_links:
        afi = afis.get(link.afi_id)
        if afi is not None and afi.status == AfiStatus.ACTIVE.value:
            labels[afi.id] = AfiLabel(
                afi.id, afi.number, afi.text, afi_figures_line(afi.statement_id, afi.figures)
            )
    return FieldworkSessionItem(
        id=row.id,
        number=row.number,
        kind=FieldworkKind(row.kind),
        day=row.day,
        start_minute=row.start_minute,
        minutes=row.minutes,
        participants=row.participants,
        participant_count=row.participant_count,
        mode=FieldworkMode(row.mode),
        status=FieldworkStatus(row.status),
        afis=tuple(sorted(labels.values(), key=lambda label: label.number)),
        runners=tuple(link.user_id for link in row.runner_links),
    )


def schedule_message(*, session: Session, review_id: int) -> FieldworkSchedule | None:
    return session.get(FieldworkSchedule, review_id)


def remember_schedule_message(
    *, session: Session, review_id: int, channel_id: str, ts: str
) -> None:
    row = session.get(FieldworkSchedule, review_id)
    if row is None:
        session.add(FieldworkSchedule(review_id=review_id, channel_id=channel_id, ts=ts))
    else:
        row.channel_id, row.ts = channel_id, ts
    session.flush()


@dataclass(frozen=True)
class RunnerDay:
    """A team member who runs at least one session on a day, for the day-before reminder."""

    review_id: int
    user_id: str
    day: date
    first_planned_at: datetime


def runner_days(
    *, session: Session, review_ids: Iterable[int], first_day: date, last_day: date
) -> list[RunnerDay]:
    """Who runs planned sessions on which days between `first_day` and `last_day`."""
    ids = list(review_ids)
    if not ids:
        return []
    rows = session.execute(
        select(
            FieldworkSession.review_id,
            FieldworkSessionRunner.user_id,
            FieldworkSession.day,
            func.min(FieldworkSession.created_at),
        )
        .join(FieldworkSessionRunner)
        .where(
            FieldworkSession.review_id.in_(ids),
            PLANNED,
            FieldworkSession.day >= first_day,
            FieldworkSession.day <= last_day,
        )
        .group_by(FieldworkSession.review_id, FieldworkSessionRunner.user_id, FieldworkSession.day)
        .order_by(FieldworkSession.review_id, FieldworkSession.day)
    ).all()
    return [RunnerDay(*row) for row in rows]


def planned_fieldwork_session_count(*, session: Session, review_id: int) -> int:
    query = select(func.count()).where(FieldworkSession.review_id == review_id, PLANNED)
    return int(session.scalar(query) or 0)


def planned_sessions_probing(*, session: Session, afi_ids: Collection[int]) -> int:
    """How many planned sessions probe any of these AFIs (one, and those merged into it)."""
    probing = select(FieldworkSessionAfi.fieldwork_session_id).where(
        FieldworkSessionAfi.afi_id.in_(list(afi_ids))
    )
    query = select(func.count()).where(FieldworkSession.id.in_(probing), PLANNED)
    return int(session.scalar(query) or 0)


def fieldwork_sessions_run_on(
    *, session: Session, review_id: int, user_id: str, days: Iterable[date]
) -> list[FieldworkSessionItem]:
    """The planned sessions `user_id` runs on any of `days`."""
    wanted = set(days)
    return [
        item
        for item in fieldwork_session_items(
            session=session, review_id=review_id, include_cancelled=False
        )
        if item.day in wanted and user_id in item.runners
    ]
