"""Areas for improvement (AFIs), the table other features link to, and their dot votes."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import CheckConstraint, ForeignKeyConstraint, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base, belongs_to, review_id_column, unique_where


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

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    number: Mapped[int]
    text: Mapped[str]
    section_number: Mapped[int | None] = mapped_column(default=None)
    evidence: Mapped[str] = mapped_column(default="")
    source: Mapped[str] = mapped_column(String(16), default=AfiSource.ADDED.value)
    # For AFIs imported from the self-assessment: the checklist statement and its figures.
    statement_id: Mapped[str | None] = mapped_column(String(16), default=None)
    figures: Mapped[dict[str, Any]] = mapped_column(default=dict)
    author_id: Mapped[str] = mapped_column(String(32))
    status: Mapped[str] = mapped_column(String(16), default=AfiStatus.ACTIVE.value)
    merged_into_id: Mapped[int | None] = belongs_to("afis", ondelete="SET NULL", default=None)
    prioritised: Mapped[bool] = mapped_column(default=False)
    rank: Mapped[int | None] = mapped_column(default=None)
    created_at: Mapped[datetime]
    updated_at: Mapped[datetime]


class AfiVoteRound(Base):
    """One dot vote on a review's AFIs; at most one is open per review. Vote rows copy the
    fixed `budget` and `per_afi_cap` under a composite foreign key, so their check
    constraints enforce the limits in the database."""

    __tablename__ = "afi_vote_rounds"
    __table_args__ = (
        CheckConstraint("budget >= 1 AND budget <= 20", name="budget_range"),
        CheckConstraint("per_afi_cap >= 1 AND per_afi_cap <= budget", name="cap_range"),
        UniqueConstraint("id", "budget", "per_afi_cap", name="uq_afi_vote_rounds_limits"),
        unique_where("uq_afi_vote_rounds_open", "review_id", "closed_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    channel_id: Mapped[str] = mapped_column(String(32))
    budget: Mapped[int]
    per_afi_cap: Mapped[int]
    everyone_can_vote: Mapped[bool] = mapped_column(default=False)
    opened_by: Mapped[str] = mapped_column(String(32))
    opened_at: Mapped[datetime]
    closed_by: Mapped[str | None] = mapped_column(String(32), default=None)
    closed_at: Mapped[datetime | None] = mapped_column(default=None)
    top_n: Mapped[int | None] = mapped_column(default=None)
    # Against bandwagon voting: the channel sees only how many have voted until it closes.
    tally_hidden: Mapped[bool] = mapped_column(default=False)
    # When set, the scheduler closes the round at this moment (prioritising `top_n`).
    closes_at: Mapped[datetime | None] = mapped_column(default=None)
    # A tie-break round settles a tie at the cut-off of the round it names: only the tied
    # AFIs (`tie_candidates`, AFI ids) are on its ballot, competing for `tie_places`.
    tie_break_of: Mapped[int | None] = belongs_to("afi_vote_rounds", default=None)
    tie_places: Mapped[int | None] = mapped_column(default=None)
    tie_candidates: Mapped[list[int]] = mapped_column(default=list)


class AfiVote(Base):
    """One dot. `slot` (1..budget) and `afi_slot` (1..per_afi_cap, on one AFI) are unique per
    voter, so no order of concurrent commits can overrun the budget or the cap."""

    __tablename__ = "afi_votes"
    __table_args__ = (
        ForeignKeyConstraint(
            ["round_id", "budget", "per_afi_cap"],
            ["afi_vote_rounds.id", "afi_vote_rounds.budget", "afi_vote_rounds.per_afi_cap"],
            name="fk_afi_votes_round_limits",
            ondelete="CASCADE",
        ),
        UniqueConstraint("round_id", "voter_id", "slot", name="uq_afi_votes_voter_slot"),
        UniqueConstraint(
            "round_id", "voter_id", "afi_id", "afi_slot", name="uq_afi_votes_voter_afi_slot"
        ),
        CheckConstraint("slot >= 1 AND slot <= budget", name="slot_within_budget"),
        CheckConstraint("afi_slot >= 1 AND afi_slot <= per_afi_cap", name="afi_slot_within_cap"),
        Index("ix_afi_votes_round_afi", "round_id", "afi_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int]
    budget: Mapped[int]
    per_afi_cap: Mapped[int]
    afi_id: Mapped[int] = belongs_to("afis")
    voter_id: Mapped[str] = mapped_column(String(32))
    slot: Mapped[int]
    afi_slot: Mapped[int]
    cast_at: Mapped[datetime]


class AfiVoteClick(Base):
    """Vote clicks already handled: a repeated delivery of one click (same key) changes
    nothing, and `clicked_at` lets a double click on the same button count once."""

    __tablename__ = "afi_vote_clicks"
    __table_args__ = (
        UniqueConstraint("round_id", "voter_id", "click_key", name="uq_afi_vote_clicks"),
        Index("ix_afi_vote_clicks_voter_afi", "round_id", "voter_id", "afi_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = belongs_to("afi_vote_rounds")
    voter_id: Mapped[str] = mapped_column(String(32))
    click_key: Mapped[str] = mapped_column(String(64))
    afi_id: Mapped[int]
    adding: Mapped[bool]
    clicked_at: Mapped[float | None] = mapped_column(default=None)  # Slack's action_ts


class AfiVoteMessage(Base):
    """A page of a round's voting message in the channel, kept up to date by chat.update."""

    __tablename__ = "afi_vote_messages"
    __table_args__ = (UniqueConstraint("round_id", "page", name="uq_afi_vote_messages_page"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    round_id: Mapped[int] = belongs_to("afi_vote_rounds")
    page: Mapped[int]
    channel_id: Mapped[str] = mapped_column(String(32))
    ts: Mapped[str] = mapped_column(String(32))
