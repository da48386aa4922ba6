"""Signed Slack requests already let in, so a captured request can't be replayed."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SeenRequest(Base):
    """One request's signature, kept until its timestamp is too old to pass the door anyway.

    In the database rather than in memory, so every worker process refuses the replay.
    """

    __tablename__ = "seen_requests"

    signature: Mapped[str] = mapped_column(String(64), primary_key=True)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
