"""screens: where each self-assessment invitation DM is, to mark it done in place

Revision ID: 0015_invitation_messages
Revises: 0014_plan_progress
Create Date: 2026-12-02 16:40:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0015_invitation_messages"
down_revision: str | Sequence[str] | None = "0014_plan_progress"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "checklist_invitation_messages",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.String(length=32), nullable=False),
        sa.Column("channel_id", sa.String(length=32), nullable=False),
        sa.Column("ts", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_checklist_invitation_messages_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "review_id", "user_id", name=op.f("pk_checklist_invitation_messages")
        ),
    )


def downgrade() -> None:
    op.drop_table("checklist_invitation_messages")
