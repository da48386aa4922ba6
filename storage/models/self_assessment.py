"""The self-assessment: its round per review, who takes part, and what was answered.

Confidentiality is built into the shape of these tables. `ChecklistParticipant` knows who
was invited, by Slack user id, and is never written when anyone answers. What people
answered (`ChecklistResponse`) and whether they have finished (`ChecklistCompletion`) live
under a pseudonymous respondent key only (see `bot.core.responses.respondent_key`):
a keyed hash of the user id that needs a secret kept out of the database. Who has finished
is worked out when needed by computing each invited person's key.

The keyed tables have no serial ids and no timestamps, and on SQLite they are stored
WITHOUT ROWID (in key order), so a copy of the database records neither the order nor the
time in which people answered. When a round closes its answers are rewritten in key order
in one transaction (see `storage.repositories.self_assessment_answers.seal_answers`), which
also clears PostgreSQL's own record of which transaction wrote each row.
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
    # A lead closed it before its closing date (`/psif checklist close`).
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # Results were first shown: from then on it is closed for good, so that no second set
    # of results can be compared with the first.
    results_released_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )
    # Answers were last rewritten in key order (see the module docstring).
    sealed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=None)
    # The results were posted in the channel (owed then; the message's place is known once
    # delivered): later `/psif results` point to that post rather than posting it again.
    results_posted_at: Mapped[datetime | None] = mapped_column(
        DateTime(timezone=True), default=None
    )
    results_channel_id: Mapped[str | None] = mapped_column(String(32), default=None)
    results_ts: Mapped[str | None] = mapped_column(String(32), default=None)


class ChecklistParticipant(Base):
    """Who has been asked; never what they answered, nor whether they have finished."""

    __tablename__ = "checklist_participants"
    __table_args__ = (UniqueConstraint("review_id", "user_id", name="uq_checklist_participants"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"))
    user_id: Mapped[str] = mapped_column(String(32))
    invited_by: Mapped[str] = mapped_column(String(32))
    invited_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))


class ChecklistResponse(Base):
    """One respondent's answers to one section, under their pseudonymous key."""

    __tablename__ = "checklist_responses"
    __table_args__ = ({"sqlite_with_rowid": False},)

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    respondent_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    section_number: Mapped[int] = mapped_column(Integer, primary_key=True)
    answers: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    strengths: Mapped[str] = mapped_column(Text, default="")
    improvements: Mapped[str] = mapped_column(Text, default="")


class ChecklistCompletion(Base):
    """A respondent (by key) who has saved every section: the "finished" state."""

    __tablename__ = "checklist_completions"
    __table_args__ = ({"sqlite_with_rowid": False},)

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    respondent_key: Mapped[str] = mapped_column(String(64), primary_key=True)


class ChecklistInvitationMessage(Base):
    """Where a person's invitation DM is, so it can change to "Done" when they finish.

    Like `ChecklistParticipant` it says only that they were invited: it is written when the
    invitation is delivered and never when anyone answers or finishes.
    """

    __tablename__ = "checklist_invitation_messages"

    review_id: Mapped[int] = mapped_column(
        ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
