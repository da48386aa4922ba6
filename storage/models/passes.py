"""When the scheduler last finished each of its passes, for operators (GET /metrics)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class SchedulerPass(Base):
    """One row per pass (nudges, votes, retention): the web processes read it, since the
    scheduler runs in a process of its own, possibly on another host."""

    __tablename__ = "scheduler_passes"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    finished_at: Mapped[datetime]
