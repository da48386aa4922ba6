"""Fieldwork phase 2: the sessions (interviews, focus groups, visits) and the schedule message.

A session describes who takes part as a group and a head count, never by name (guidance §2).
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, belongs_to, review_id_column


class FieldworkSession(Base):
    """One planned session, numbered 1, 2, 3 … within the review."""

    __tablename__ = "fieldwork_sessions"
    __table_args__ = (
        UniqueConstraint("review_id", "number", name="uq_fieldwork_sessions_review_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    number: Mapped[int]
    kind: Mapped[str] = mapped_column(String(16))
    day: Mapped[date]
    # Local time in the review's time zone, as minutes after midnight: a session at 09:30 stays
    # at 09:30 whatever the clocks do.
    start_minute: Mapped[int]
    minutes: Mapped[int]
    participants: Mapped[str]
    participant_count: Mapped[int]
    mode: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16))
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    afi_links: Mapped[list[FieldworkSessionAfi]] = relationship(
        cascade="all, delete-orphan", order_by="FieldworkSessionAfi.afi_id"
    )
    runner_links: Mapped[list[FieldworkSessionRunner]] = relationship(
        cascade="all, delete-orphan", order_by="FieldworkSessionRunner.position"
    )


class FieldworkSessionAfi(Base):
    """A prioritised AFI a session probes."""

    __tablename__ = "fieldwork_session_afis"

    fieldwork_session_id: Mapped[int] = belongs_to(
        "fieldwork_sessions", "session_id", primary_key=True
    )
    afi_id: Mapped[int] = belongs_to("afis", primary_key=True)


class FieldworkSessionRunner(Base):
    """A team member who runs a session."""

    __tablename__ = "fieldwork_session_runners"

    fieldwork_session_id: Mapped[int] = belongs_to(
        "fieldwork_sessions", "session_id", primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    position: Mapped[int]


class FieldworkSchedule(Base):
    """Where the review's schedule message is, so every change updates it in place."""

    __tablename__ = "fieldwork_schedules"

    review_id: Mapped[int] = review_id_column(primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
