"""Scheduler tables: nudges (the exactly-once ledger), reminder mutes, unreachable channels,
personal snoozes and milestones recorded done."""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, review_id_column

# The recipient of a nudge posted to the review's channel (a user id means a direct message).
CHANNEL_RECIPIENT = "channel"


class NudgeStatus(StrEnum):
    PENDING = "pending"  # recorded, waiting for its moment (or for a retry)
    SENT = "sent"  # handed to the outbox with its message; `ts` once Slack has it
    SKIPPED = "skipped"  # deliberately not sent; `error` says why
    FAILED = "failed"  # Slack refused it for good


class Nudge(Base):
    """One message the scheduler owes someone, keyed (review, rule, day, recipient); marked
    sent in the transaction that owes it to the outbox, so nothing can send it twice."""

    __tablename__ = "nudges"
    __table_args__ = (
        UniqueConstraint("review_id", "rule", "day", "recipient", name="uq_nudges_key"),
        Index("ix_nudges_claimable", "status", "not_before"),
        Index("ix_nudges_day", "day"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column()
    rule: Mapped[str] = mapped_column(String(96))
    day: Mapped[date]
    recipient: Mapped[str] = mapped_column(String(32))
    zone: Mapped[str] = mapped_column(String(64))
    useful_until: Mapped[date]
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16))
    not_before: Mapped[datetime]
    attempts: Mapped[int] = mapped_column(default=0)
    error: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_by: Mapped[str | None] = mapped_column(String(64), default=None)
    claimed_at: Mapped[datetime | None] = mapped_column(default=None)
    sent_at: Mapped[datetime | None] = mapped_column(default=None)
    ts: Mapped[str | None] = mapped_column(String(32), default=None)
    created_at: Mapped[datetime]


class ReminderMute(Base):
    """A review's reminders switched off: all of them (rule "all") or one rule's."""

    __tablename__ = "reminder_mutes"
    __table_args__ = (UniqueConstraint("review_id", "rule", name="uq_reminder_mutes"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column()
    rule: Mapped[str] = mapped_column(String(48))
    muted_by: Mapped[str] = mapped_column(String(32))
    muted_at: Mapped[datetime]


class UnreachableChannel(Base):
    """Slack said the review's channel can't be posted to; channel nudges stop until
    someone fixes it and turns reminders back on."""

    __tablename__ = "unreachable_channels"

    review_id: Mapped[int] = review_id_column(primary_key=True)
    error: Mapped[str] = mapped_column(String(64))
    since: Mapped[datetime]


class Snooze(Base):
    """A person's own nudges paused through `paused_through` (inclusive), e.g. for leave."""

    __tablename__ = "snoozes"

    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    paused_through: Mapped[date]
    set_at: Mapped[datetime]


class MilestoneDone(Base):
    """A timeline milestone someone recorded done with `/psif done`."""

    __tablename__ = "milestones_done"
    __table_args__ = (UniqueConstraint("review_id", "milestone", name="uq_milestones_done"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column()
    milestone: Mapped[str] = mapped_column(String(32))
    done_by: Mapped[str] = mapped_column(String(32))
    done_at: Mapped[datetime]
