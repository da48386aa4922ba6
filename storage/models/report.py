"""The review's report: numbered versions (kept as Markdown) and the team's comments on them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, belongs_to, review_id_column


class ReportVersion(Base):
    """One `/psif report`: the draft as built, and where it was posted."""

    __tablename__ = "report_versions"
    __table_args__ = (
        UniqueConstraint("review_id", "number", name="uq_report_versions_review_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    number: Mapped[int]
    markdown: Mapped[str]
    built_by: Mapped[str] = mapped_column(String(32))
    built_at: Mapped[datetime]
    channel_id: Mapped[str | None] = mapped_column(String(32), default=None)
    ts: Mapped[str | None] = mapped_column(String(32), default=None)
    final_by: Mapped[str | None] = mapped_column(String(32), default=None)
    final_at: Mapped[datetime | None] = mapped_column(default=None)


class ReportComment(Base):
    """A team member's comment on a version of the draft, open until resolved."""

    __tablename__ = "report_comments"

    id: Mapped[int] = mapped_column(primary_key=True)
    version_id: Mapped[int] = belongs_to("report_versions", index=True)
    author_id: Mapped[str] = mapped_column(String(32))
    text: Mapped[str]
    created_at: Mapped[datetime]
    resolved_by: Mapped[str | None] = mapped_column(String(32), default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
