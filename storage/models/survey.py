"""Survey links for people outside Slack, and the tries at them from each address.

A link is stored only as its keyed hash (see bot.survey._links), with no serial id, no
timestamps and (on SQLite) WITHOUT ROWID: a copy of the database can neither open a link nor
tell who was given it, nor which answers came through it, nor when it was used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, review_id_column


class SurveyLink(Base):
    """One respondent outside Slack: a one-time link to the self-assessment page, or a row of
    answers imported from a survey tool (which has no link anyone can open)."""

    __tablename__ = "survey_links"
    __table_args__ = ({"sqlite_with_rowid": False},)

    link_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    # "web" (a link) or "import" (a row of an imported file).
    source: Mapped[str] = mapped_column(String(16))
    # Withdrawn before anyone used it: it no longer opens, nor counts as invited.
    withdrawn: Mapped[bool] = mapped_column(default=False)


class SurveyTries(Base):
    """How many unknown links one address tried in a window: the rate limit, kept in the
    database so every web process agrees. The address is kept only as a keyed hash."""

    __tablename__ = "survey_tries"

    address_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    window_start: Mapped[datetime] = mapped_column(primary_key=True)
    tries: Mapped[int] = mapped_column(default=0)
