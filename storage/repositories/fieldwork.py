"""Fieldwork sessions: planning (per-review numbering), editing, cancelling, listing, and the
schedule message's whereabouts."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, selectinload

from bot.core.fieldwork import (
    AfiLabel,
    SessionFields,
    SessionItem,
    SessionKind,
    SessionMode,
    SessionStatus,
)
from bot.core.permissions import REVIEW_TEAM
from storage.models.afis import Afi, AfiStatus
from storage.models.fieldwork import (
    FieldworkSchedule,
    FieldworkSession,
    FieldworkSessionAfi,
    FieldworkSessionRunner,
)
from storage.models.reviews import Review
from storage.repositories.afi_lineage import current_afis
from storage.repositories.counters import next_number


def _apply(row: FieldworkSession, fields: SessionFields) -> None:
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


def add_session(
    *, session: Session, review_id: int, fields: SessionFields, actor_id: str, now: datetime
) -> FieldworkSession:
    """Store a session with the review's next number (from its counter, locked until commit)."""
    row = FieldworkSession(
        review_id=review_id,
        number=next_number(session=session, review_id=review_id, name="fieldwork_session"),
        status=SessionStatus.PLANNED.value,
        created_by=actor_id,
        created_at=now,
        updated_at=now,
    )
    _apply(row, fields)
    session.add(row)
    session.flush()
    return row


def edit_session(
    *, session: Session, row: FieldworkSession, fields: SessionFields, now: datetime
) -> None:
    row.afi_links.clear()
    row.runner_links.clear()
    session.flush()
    _apply(row, fields)
    row.updated_at = now
    session.flush()


def cancel_session(*, session: Session, row: FieldworkSession, now: datetime) -> None:
    row.status, row.updated_at = SessionStatus.CANCELLED.value, now
    session.flush()


def get_session(*, session: Session, session_id: int) -> FieldworkSession | None:
    return session.get(FieldworkSession, session_id)


def session_items(
    *, session: Session, review_id: int, include_cancelled: bool = True
) -> list[SessionItem]:
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
        query = query.where(FieldworkSession.status == SessionStatus.PLANNED.value)
    rows = list(session.scalars(query))
    afis = current_afis(session=session, review_id=review_id) if rows else {}
    return [item_of(row, afis) for row in rows]


def item_of(row: FieldworkSession, afis: dict[int, Afi]) -> SessionItem:
    labels: dict[int, AfiLabel] = {}
    for link in row.afi_links:
        afi = afis.get(link.afi_id)
        if afi is not None and afi.status == AfiStatus.ACTIVE.value:
            labels[afi.id] = AfiLabel(afi.id, afi.number, afi.text)
    return SessionItem(
        id=row.id,
        number=row.number,
        kind=SessionKind(row.kind),
        day=row.day,
        start_minute=row.start_minute,
        minutes=row.minutes,
        participants=row.participants,
        participant_count=row.participant_count,
        mode=SessionMode(row.mode),
        status=SessionStatus(row.status),
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
        .join(FieldworkSessionRunner, FieldworkSessionRunner.session_id == FieldworkSession.id)
        .where(
            FieldworkSession.review_id.in_(ids),
            FieldworkSession.status == SessionStatus.PLANNED.value,
            FieldworkSession.day >= first_day,
            FieldworkSession.day <= last_day,
        )
        .group_by(FieldworkSession.review_id, FieldworkSessionRunner.user_id, FieldworkSession.day)
        .order_by(FieldworkSession.review_id, FieldworkSession.day)
    ).all()
    return [RunnerDay(*row) for row in rows]


def planned_session_count(*, session: Session, review_id: int) -> int:
    return int(
        session.scalar(
            select(func.count())
            .select_from(FieldworkSession)
            .where(
                FieldworkSession.review_id == review_id,
                FieldworkSession.status == SessionStatus.PLANNED.value,
            )
        )
        or 0
    )


def team_ids(review: Review) -> frozenset[str]:
    """Everyone on the review team (stakeholders are not: they take part, they don't run)."""
    team = {role.value for role in REVIEW_TEAM}
    return frozenset(member.user_id for member in review.members if member.role in team)


def sessions_run_on(
    *, session: Session, review_id: int, user_id: str, days: Iterable[date]
) -> list[SessionItem]:
    """The planned sessions `user_id` runs on any of `days`."""
    wanted = set(days)
    return [
        item
        for item in session_items(session=session, review_id=review_id, include_cancelled=False)
        if item.day in wanted and user_id in item.runners
    ]
