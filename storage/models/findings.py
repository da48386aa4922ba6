"""Findings: key points the team learns in fieldwork, recorded against an AFI.

A finding records its source as a kind of evidence or a session, never a person: nothing
here says who said what (guidance §2). `recorded_by` is the team member who noted it.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint, false
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, belongs_to, review_id_column


class Finding(Base):
    """A strength, a concern or an option for improvement, numbered within the review."""

    __tablename__ = "findings"
    __table_args__ = (UniqueConstraint("review_id", "number", name="uq_findings_review_number"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    number: Mapped[int]
    afi_id: Mapped[int] = belongs_to("afis", index=True)
    kind: Mapped[str] = mapped_column(String(16))
    source: Mapped[str] = mapped_column(String(16))
    fieldwork_session_id: Mapped[int | None] = belongs_to(
        "fieldwork_sessions", "session_id", ondelete="SET NULL", default=None
    )
    text: Mapped[str]
    recorded_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    # A lead marked it as learning worth sharing beyond the host council: the public summary
    # carries it.
    learning_to_share: Mapped[bool] = mapped_column(default=False, server_default=false())


class ActionOption(Base):
    """The option for improvement an action carries out (at most one per action)."""

    __tablename__ = "action_options"

    action_id: Mapped[int] = belongs_to("actions", primary_key=True)
    finding_id: Mapped[int] = belongs_to("findings", index=True)
