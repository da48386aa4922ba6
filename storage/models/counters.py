"""Per-review numbering: AFI 1, 2, 3…, action 1, 2, 3…"""

from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class ReviewCounter(Base):
    """The last number handed out in a review (AFIs, actions): incremented under a row lock,
    so concurrent adds get consecutive numbers and never fail."""

    __tablename__ = "review_counters"

    review_id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)
