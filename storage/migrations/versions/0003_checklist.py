"""checklist

Revision ID: 0003_checklist
Revises: 0002_afis
Create Date: 2026-11-25 23:05:38.554680
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003_checklist"
down_revision: str | Sequence[str] | None = "0002_afis"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_participants",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("invited_by", sa.String(length=32), nullable=False),
        sa.Column("invited_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_checklist_participants_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_participants")),
        sa.UniqueConstraint("review_id", "user_id", name="uq_checklist_participants"),
    )
    op.create_table(
        "checklist_responses",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("respondent_key", sa.String(length=64), nullable=False),
        sa.Column("section_number", sa.Integer(), nullable=False),
        sa.Column("answers", sa.JSON(), nullable=False),
        sa.Column("strengths", sa.Text(), nullable=False),
        sa.Column("improvements", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_checklist_responses_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "review_id", "respondent_key", "section_number", name=op.f("pk_checklist_responses")
        ),
    )
    op.create_table(
        "checklist_rounds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("checklist_id", sa.String(length=64), nullable=False),
        sa.Column("checklist_version", sa.String(length=32), nullable=False),
        sa.Column("key_salt", sa.String(length=64), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=False),
        sa.Column("issued_by", sa.String(length=32), nullable=False),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_checklist_rounds_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_checklist_rounds")),
        sa.UniqueConstraint("review_id", name=op.f("uq_checklist_rounds_review_id")),
    )


def downgrade() -> None:
    op.drop_table("checklist_rounds")
    op.drop_table("checklist_responses")
    op.drop_table("checklist_participants")
