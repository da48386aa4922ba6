"""Slack side effects owed after a saved change, delivered by the outbox worker."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Index, String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, unique_where


class OutboxStatus(StrEnum):
    PENDING = "pending"  # waiting for its moment (first try or a retry)
    SENDING = "sending"  # claimed by one worker until `claimed_until`
    SENT = "sent"
    FAILED = "failed"  # Slack refused it for good, or it ran out of attempts; `last_error` says


class OutboxItem(Base):
    """One Slack call (or refresh) owed to a workspace, written in the transaction of the
    change it follows; pending items with the same `coalesce_key` fold (the newest wins)."""

    __tablename__ = "slack_outbox"
    __table_args__ = (
        Index("ix_slack_outbox_claimable", "status", "not_before"),
        Index("ix_slack_outbox_key", "coalesce_key", "status"),
        # At most one pending item per key: concurrent enqueues fold into it atomically.
        unique_where("uq_slack_outbox_pending_key", "coalesce_key", "status = 'pending'"),
        Index("ix_slack_outbox_lane", "lane", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    team_id: Mapped[str] = mapped_column(String(32))
    kind: Mapped[str] = mapped_column(String(40))
    coalesce_key: Mapped[str | None] = mapped_column(String(200), default=None)
    # Items in one lane (a channel, a person, one card) go out one at a time, in order;
    # lanes go out side by side, so one slow conversation never holds up the others.
    lane: Mapped[str] = mapped_column(String(200))
    payload: Mapped[dict[str, Any]] = mapped_column(default=dict)
    status: Mapped[str] = mapped_column(String(16), default=OutboxStatus.PENDING)
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime]
    # Least seconds between two deliveries of this key (a live tally Slack would rate-limit).
    min_gap: Mapped[float] = mapped_column(default=0.0)
    claimed_until: Mapped[datetime | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(String(200), default=None)
