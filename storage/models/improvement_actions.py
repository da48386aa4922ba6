"""Improvement actions, the history of their status changes, and their progress updates."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from bot.core.actions import ActionStatus
from storage.models.afis import Afi
from storage.models.base import Base, belongs_to, review_id_column


class Action(Base):
    """A key action in a review's improvement plan, numbered 1, 2, 3 … within the review."""

    __tablename__ = "actions"
    __table_args__ = (UniqueConstraint("review_id", "number", name="uq_actions_review_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    number: Mapped[int]
    afi_id: Mapped[int | None] = belongs_to("afis", ondelete="SET NULL", default=None)
    key_action: Mapped[str]
    owner_id: Mapped[str] = mapped_column(String(32), index=True)
    due: Mapped[date]
    risks: Mapped[str] = mapped_column(default="")
    measure: Mapped[str] = mapped_column(default="")
    outcome: Mapped[str] = mapped_column(default="")
    status: Mapped[str] = mapped_column(String(16), default=ActionStatus.OPEN.value)
    drop_reason: Mapped[str] = mapped_column(default="")
    # Red, amber or green as last set by a progress update; None until someone sets it.
    rag: Mapped[str | None] = mapped_column(String(8), default=None)
    status_changed_by: Mapped[str | None] = mapped_column(String(32), default=None)
    status_changed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Where the action's card was posted, so status changes can update it in place.
    channel_id: Mapped[str | None] = mapped_column(String(32), default=None)
    message_ts: Mapped[str | None] = mapped_column(String(32), default=None)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]

    afi: Mapped[Afi | None] = relationship(lazy="joined")


class ActionStatusChange(Base):
    """Who moved an action from one status to another, and when; never updated."""

    __tablename__ = "action_status_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = belongs_to("actions", index=True)
    actor_id: Mapped[str] = mapped_column(String(32))
    from_status: Mapped[str] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(default="")
    at: Mapped[datetime]


class ActionProgressUpdate(Base):
    """A progress note on an action and/or the RAG status it was given, with who and when;
    never updated."""

    __tablename__ = "action_progress_updates"

    id: Mapped[int] = mapped_column(primary_key=True)
    action_id: Mapped[int] = belongs_to("actions", index=True)
    author_id: Mapped[str] = mapped_column(String(32))
    note: Mapped[str] = mapped_column(default="")
    rag: Mapped[str | None] = mapped_column(String(8), default=None)
    at: Mapped[datetime]
