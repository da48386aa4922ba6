"""Signed Slack requests and events already let in, so neither runs twice."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Date, String
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
