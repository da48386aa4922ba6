"""Slack requests already seen (by the replay check) and already applied (by a use case),
so none runs twice."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SeenRequest(Base):
    """A keyed hash of a request's signature or an event's id, shared by every worker; it
    expires on a day, never a time, so nothing here dates a request more finely."""

    __tablename__ = "seen_requests"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_on: Mapped[date] = mapped_column(index=True)


class AppliedRequest(Base):
    """A use case's request already applied, stored in the transaction that applied it, so
    the same request delivered again under a new signature changes nothing."""

    __tablename__ = "applied_requests"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    # The day only (midnight UTC), for forgetting old keys: never the moment it was applied.
    applied_at: Mapped[datetime] = mapped_column(index=True)
