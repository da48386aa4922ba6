"""afi voting

Revision ID: 0006_afi_voting
Revises: 0005_actions
Create Date: 2026-11-25 23:24:02.567174
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006_afi_voting"
down_revision: str | Sequence[str] | None = "0005_actions"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "afi_vote_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("per_afi_cap", sa.Integer(), nullable=False),
        sa.Column("everyone_can_vote", sa.Boolean(), nullable=False),
        sa.Column("opened_by", sa.String(length=32), nullable=False),
        sa.Column("opened_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_by", sa.String(length=32), nullable=True),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("top_n", sa.Integer(), nullable=True),
        sa.CheckConstraint(
            "budget >= 1 AND budget <= 20", name=op.f("ck_afi_vote_rounds_budget_range")
        ),
        sa.CheckConstraint(
            "per_afi_cap >= 1 AND per_afi_cap <= budget", name=op.f("ck_afi_vote_rounds_cap_range")
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_afi_vote_rounds_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afi_vote_rounds")),
        sa.UniqueConstraint("id", "budget", "per_afi_cap", name="uq_afi_vote_rounds_limits"),
    )
    with op.batch_alter_table("afi_vote_rounds", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_afi_vote_rounds_review_id"), ["review_id"], unique=False
        )
        batch_op.create_index(
            "uq_afi_vote_rounds_open",
            ["review_id"],
            unique=True,
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        )

    op.create_table(
        "afi_vote_clicks",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.String(length=32), nullable=False),
        sa.Column("click_key", sa.String(length=64), nullable=False),
        sa.Column("afi_id", sa.Integer(), nullable=False),
        sa.Column("adding", sa.Boolean(), nullable=False),
        sa.Column("clicked_at", sa.Float(), nullable=True),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["afi_vote_rounds.id"],
            name=op.f("fk_afi_vote_clicks_round_id_afi_vote_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afi_vote_clicks")),
        sa.UniqueConstraint("round_id", "voter_id", "click_key", name="uq_afi_vote_clicks"),
    )
    with op.batch_alter_table("afi_vote_clicks", schema=None) as batch_op:
        batch_op.create_index(
            "ix_afi_vote_clicks_voter_afi", ["round_id", "voter_id", "afi_id"], unique=False
        )

    op.create_table(
        "afi_vote_messages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("page", sa.Integer(), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["round_id"],
            ["afi_vote_rounds.id"],
            name=op.f("fk_afi_vote_messages_round_id_afi_vote_rounds"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afi_vote_messages")),
        sa.UniqueConstraint("round_id", "page", name="uq_afi_vote_messages_page"),
    )
    op.create_table(
        "afi_votes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("round_id", sa.Integer(), nullable=False),
        sa.Column("budget", sa.Integer(), nullable=False),
        sa.Column("per_afi_cap", sa.Integer(), nullable=False),
        sa.Column("afi_id", sa.Integer(), nullable=False),
        sa.Column("voter_id", sa.String(length=32), nullable=False),
        sa.Column("slot", sa.Integer(), nullable=False),
        sa.Column("afi_slot", sa.Integer(), nullable=False),
        sa.Column("cast_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "afi_slot >= 1 AND afi_slot <= per_afi_cap",
            name=op.f("ck_afi_votes_afi_slot_within_cap"),
        ),
        sa.CheckConstraint(
            "slot >= 1 AND slot <= budget", name=op.f("ck_afi_votes_slot_within_budget")
        ),
        sa.ForeignKeyConstraint(
            ["afi_id"], ["afis.id"], name=op.f("fk_afi_votes_afi_id_afis"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["round_id", "budget", "per_afi_cap"],
            ["afi_vote_rounds.id", "afi_vote_rounds.budget", "afi_vote_rounds.per_afi_cap"],
            name="fk_afi_votes_round_limits",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afi_votes")),
        sa.UniqueConstraint(
            "round_id", "voter_id", "afi_id", "afi_slot", name="uq_afi_votes_voter_afi_slot"
        ),
        sa.UniqueConstraint("round_id", "voter_id", "slot", name="uq_afi_votes_voter_slot"),
    )
    with op.batch_alter_table("afi_votes", schema=None) as batch_op:
        batch_op.create_index("ix_afi_votes_round_afi", ["round_id", "afi_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("afi_votes", schema=None) as batch_op:
        batch_op.drop_index("ix_afi_votes_round_afi")

    op.drop_table("afi_votes")
    op.drop_table("afi_vote_messages")
    with op.batch_alter_table("afi_vote_clicks", schema=None) as batch_op:
        batch_op.drop_index("ix_afi_vote_clicks_voter_afi")

    op.drop_table("afi_vote_clicks")
    with op.batch_alter_table("afi_vote_rounds", schema=None) as batch_op:
        batch_op.drop_index(
            "uq_afi_vote_rounds_open",
            sqlite_where=sa.text("closed_at IS NULL"),
            postgresql_where=sa.text("closed_at IS NULL"),
        )
        batch_op.drop_index(batch_op.f("ix_afi_vote_rounds_review_id"))

    op.drop_table("afi_vote_rounds")
