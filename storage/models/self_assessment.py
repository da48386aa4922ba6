"""The self-assessment: its round per review, who takes part, and what was answered.

Confidentiality is built into the shape of these tables. `ChecklistParticipant` knows who
was invited and who has finished, by Slack user id. `ChecklistResponse` holds answers under
a pseudonymous respondent key (see `bot.self_assessment.respondent_key`) and carries no
timestamps, so a database export cannot join "who" to "what" by id or by time.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import JSON, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ChecklistRound(Base):
    """The self-assessment of one review: which checklist, when it closes."""

    __tablename__ = "checklist_rounds"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), unique=True
    )
    checklist_id: Mapped[str] = mapped_column(String(64))
    checklist_version: Mapped[str] = mapped_column(String(32))
    # Mixed with the app-wide secret to give this review its own respondent keys.
    key_salt: Mapped[str] = mapped_column(String(64))
    closes_on: Mapped[date] = mapped_column(Date)
    issued_by: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChecklistParticipant(Base):
    """Who has been asked and whether they have finished; never what they answered."""

    __tablename__ = "checklist_participants"
    __table_args__ = (UniqueConstraint("review_id", "user_id", name="uq_checklist_participants"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    invited_by: Mapped[str] = mapped_column(String(32))
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    finished_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)


class ChecklistResponse(Base):
    """One respondent's answers to one section, under their pseudonymous key.

    Keyed by (review, respondent, section) with no serial id, so row numbers do not record
    the order people answered in (which could be matched against who finished when).
    """

    __tablename__ = "checklist_responses"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    respondent_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    section_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    strengths: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")
