"""Reviews, their team, peer councils, the audit trail and handled Slack events."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from storage.models.base import Base, review_id_column, unique_where


class Review(Base):
    """One peer collaborative improvement review, run in one Slack channel."""

    __tablename__ = "reviews"
    __table_args__ = (
        # At most one open review per channel; a Slack Connect channel has the same id in every
        # workspace sharing it, so the channel alone finds the review.
        unique_where("uq_reviews_open_channel", "channel_id", "closed_at IS NULL"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    # The workspace the review was opened from; informational only (see the index above).
    team_id: Mapped[str] = mapped_column(String(32))
    channel_id: Mapped[str] = mapped_column(String(32))
    host_council: Mapped[str] = mapped_column(String(64))
    focus: Mapped[str]
    rationale: Mapped[str] = mapped_column(default="")
    peer_rationale: Mapped[str] = mapped_column(default="")
    checklist_id: Mapped[str] = mapped_column(String(64), default="psif-default")
    stage: Mapped[str] = mapped_column(String(32))
    timezone: Mapped[str | None] = mapped_column(String(64), default=None)
    initial_meeting: Mapped[date | None] = mapped_column(default=None)
    fieldwork_start: Mapped[date | None] = mapped_column(default=None)
    fieldwork_end: Mapped[date | None] = mapped_column(default=None)
    pre_meeting: Mapped[date | None] = mapped_column(default=None)
    draft_report: Mapped[date | None] = mapped_column(default=None)
    leads_meeting: Mapped[date | None] = mapped_column(default=None)
    final_report: Mapped[date | None] = mapped_column(default=None)
    created_by: Mapped[str] = mapped_column(String(32))
    created_at: Mapped[datetime]
    closed_at: Mapped[datetime | None] = mapped_column(default=None)

    members: Mapped[list[TeamMember]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="TeamMember.id"
    )
    peer_councils: Mapped[list[PeerCouncil]] = relationship(
        back_populates="review", cascade="all, delete-orphan", order_by="PeerCouncil.position"
    )


class TeamMember(Base):
    """A Slack user's role in a review; a person may hold more than one role."""

    __tablename__ = "team_members"
    __table_args__ = (UniqueConstraint("review_id", "user_id", "role", name="uq_team_members"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column()
    user_id: Mapped[str] = mapped_column(String(32), index=True)
    role: Mapped[str] = mapped_column(String(32))
    # A peer reviewer's council or partner organisation, as given when they were added.
    organisation: Mapped[str | None] = mapped_column(String(120), default=None)
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime]

    review: Mapped[Review] = relationship(back_populates="members")


class PeerCouncil(Base):
    """A council (or partner organisation) approached to contribute a peer reviewer;
    `state` is a bot.core.peers.PeerState."""

    __tablename__ = "peer_councils"
    __table_args__ = (UniqueConstraint("review_id", "council", name="uq_peer_councils"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column()
    council: Mapped[str] = mapped_column(String(120))
    position: Mapped[int]
    is_partner: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(16), default="to_approach")
    approached_on: Mapped[date | None] = mapped_column(default=None)
    nominees: Mapped[str] = mapped_column(default="")
    declined_reason: Mapped[str] = mapped_column(default="")

    review: Mapped[Review] = relationship(back_populates="peer_councils")


class AuditEvent(Base):
    """Who changed what and when; never updated or deleted."""

    __tablename__ = "audit_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    review_id: Mapped[int] = review_id_column(index=True)
    actor_id: Mapped[str] = mapped_column(String(32))
    action: Mapped[str] = mapped_column(String(64))
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    at: Mapped[datetime]


class HostParticipant(Base):
    """One of the host council's officers taking part in fieldwork: neither the review team
    nor a stakeholder. They get the papers and the fieldwork schedule by direct message."""

    __tablename__ = "host_participants"

    review_id: Mapped[int] = review_id_column(primary_key=True)
    user_id: Mapped[str] = mapped_column(String(32), primary_key=True)
    added_by: Mapped[str] = mapped_column(String(32))
    added_at: Mapped[datetime]
    # When the papers went to them, so that each gets them once.
    papers_sent_at: Mapped[datetime | None] = mapped_column(default=None)
