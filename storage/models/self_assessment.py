"""The self-assessment: its round per review, who takes part, and what was answered.

Confidentiality is in the tables' shape: `ChecklistParticipant` knows who was invited and is
never written when anyone answers; answers and completions live under a pseudonymous
respondent key only (`bot.core.responses.respondent_key`, a keyed hash whose secret is kept
out of the database). The keyed tables have no serial ids or timestamps and are stored
WITHOUT ROWID on SQLite, and a closed round's rows are rewritten in key order
(`seal_answers`), so nothing records when or in what order people answered."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, review_id_column


class ChecklistRound(Base):
    """The self-assessment of one review: which checklist, when it closes."""

    __tablename__ = "checklist_rounds"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(unique=True)
    checklist_id: Mapped[str] = mapped_column(String(64))
    checklist_version: Mapped[str] = mapped_column(String(32))
    # Mixed with the app-wide secret to give this review its own respondent keys.
    key_salt: Mapped[str] = mapped_column(String(64))
    closes_on: Mapped[date]
    issued_by: Mapped[str] = mapped_column(String(32))
    issued_at: Mapped[datetime]
    # A lead closed it before its closing date (`/psif checklist close`).
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    # Results were first shown: closed for good, so no second set can be compared with them.
    results_released_at: Mapped[datetime | None] = mapped_column(default=None)
    # Answers were last rewritten in key order (see the module docstring).
    sealed_at: Mapped[datetime | None] = mapped_column(default=None)
    # The results were posted in the channel, and where: later `/psif results` point to it.
    results_posted_at: Mapped[datetime | None] = mapped_column(default=None)
    results_channel_id: Mapped[str | None] = mapped_column(String(32), default=None)
    results_ts: Mapped[str | None] = mapped_column(String(32), default=None)


class ChecklistParticipant(Base):
    """Who has been asked; never what they answered, nor whether they have finished."""

    __tablename__ = "checklist_participants"
    __table_args__ = (UniqueConstraint("review_id", "user_id", name="uq_checklist_participants"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column()
    user_id: Mapped[str] = mapped_column(String(32))
    invited_by: Mapped[str] = mapped_column(String(32))
    invited_at: Mapped[datetime]


class ChecklistResponse(Base):
    """One respondent's answers to one section, under their pseudonymous key."""

    __tablename__ = "checklist_responses"
    __table_args__ = ({"sqlite_with_rowid": False},)

    review_id: Mapped[int] = review_id_column(primary_key=True)
    respondent_key: Mapped[str] = mapped_column(String(64), primary_key=True)
    section_number: Mapped[int] = mapped_column(primary_key=True)
    answers: Mapped[dict[str, Any]] = mapped_column(default=dict)
    strengths: Mapped[str] = mapped_column(default="")
    improvements: Mapped[str] = mapped_column(default="")


class ChecklistCompletion(Base):
    """A respondent (by key) who has saved every section: the "finished" state."""

    __tablename__ = "checklist_completions"
    __table_args__ = ({"sqlite_with_rowid": False},)

    review_id: Mapped[int] = review_id_column(primary_key=True)
    respondent_key: Mapped[str] = mapped_column(String(64), primary_key=True)


class ChecklistInvitationMessage(Base):
    """Where a person's invitation DM is, so it can change to "Done" when they finish;
    written when it is delivered, never when anyone answers or finishes."""

    __tablename__ = "checklist_invitation_messages"

    review_id: Mapped[int] = review_id_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
