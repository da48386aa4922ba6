"""Slack requests already seen (by the replay check) and already applied (by a use case),
so none runs twice."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Date, DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SeenRequest(Base):
    """A keyed hash of a request's signature or of an event's id, kept until a coarse expiry.

    In the database rather than in memory, so every worker process refuses the replay. The
    expiry is a day, never a time: nothing here dates a request (a self-assessment answer's
    save included) more finely than the day.
    """

    __tablename__ = "seen_requests"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_on: Mapped[date] = mapped_column(Date, index=True)


class AppliedRequest(Base):
    """A use case's request already applied (a modal submission by view id and hash, a slash
    command by trigger id, a message's button by the message): stored in the transaction that
    applied it, so the same request delivered twice (under a new signature, which the replay
    check can't recognise) changes nothing the second time."""

    __tablename__ = "applied_requests"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # The day only (midnight UTC), for forgetting old keys: never the moment it was applied.
    applied_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
