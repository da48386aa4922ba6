"""Areas for improvement (AFIs): the core table other features link to.

The AFI feature (adding, voting, ranking) extends this module; the action plan links
actions to AFIs by `Afi.id`.
"""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Boolean, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models import Base


class AfiStatus(StrEnum):
    ACTIVE = "active"
    WITHDRAWN = "withdrawn"
    MERGED = "merged"


class AfiSource(StrEnum):
    ADDED = "added"
    CHECKLIST = "checklist"


class Afi(Base):
    """An area for improvement in a review, numbered 1, 2, 3 … within the review."""

    __tablename__ = "afis"
    __table_args__ = (UniqueConstraint("review_id", "number", name="uq_afis_review_number"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), index=True)
    number: Mapped[int] = mapped_column(Integer)
    text: Mapped[str] = mapped_column(Text)
    section_number: Mapped[int | None] = mapped_column(Integer, default=None)
    evidence: Mapped[str] = mapped_column(Text, default="")
    source: Mapped[str] = mapped_column(String(16), default=AfiSource.ADDED.value)
    # For AFIs imported from the self-assessment: the checklist statement and its figures.
    statement_id: Mapped[str | None] = mapped_column(String(16), default=None)
    figures: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    author_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=AfiStatus.ACTIVE.value)
    merged_into_id: Mapped[int | None] = mapped_column(
        ForeignKey("afis.id", ondelete="SET NULL"), default=None
    )
    prioritised: Mapped[bool] = mapped_column(Boolean, default=False)
    rank: Mapped[int | None] = mapped_column(Integer, default=None)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
