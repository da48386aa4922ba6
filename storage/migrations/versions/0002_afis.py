"""afis

Revision ID: 0002_afis
Revises: 0001_foundation
Create Date: 2026-11-25 22:19:20.377179
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002_afis"
down_revision: str | Sequence[str] | None = "0001_foundation"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "afis",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("section_number", sa.Integer(), nullable=True),
        sa.Column("evidence", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=16), nullable=False),
        sa.Column("statement_id", sa.String(length=16), nullable=True),
        sa.Column("figures", sa.JSON(), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("merged_into_id", sa.Integer(), nullable=True),
        sa.Column("prioritised", sa.Boolean(), nullable=False),
        sa.Column("rank", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["merged_into_id"],
            ["afis.id"],
            name=op.f("fk_afis_merged_into_id_afis"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_afis_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_afis")),
        sa.UniqueConstraint("review_id", "number", name="uq_afis_review_number"),
    )
    with op.batch_alter_table("afis", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_afis_review_id"), ["review_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("afis", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_afis_review_id"))

    op.drop_table("afis")
