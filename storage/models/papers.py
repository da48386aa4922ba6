"""The papers sent to the team before fieldwork: the host's paper and other evidence, as links."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, review_id_column


class PaperLink(Base):
    """A titled link in the review's pack: the host's paper or a piece of evidence."""

    __tablename__ = "paper_links"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    kind: Mapped[str] = mapped_column(String(16))
    title: Mapped[str] = mapped_column(String(200))
    url: Mapped[str]
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime]
