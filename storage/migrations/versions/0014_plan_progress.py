"""plan progress: a RAG status on actions, and their progress updates

Revision ID: 0014_plan_progress
Revises: 0013_more_counters
Create Date: 2026-12-02 16:20:00.000000
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014_plan_progress"
down_revision: str | Sequence[str] | None = "0013_more_counters"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.add_column(sa.Column("rag", sa.String(length=8), nullable=True))
    op.create_table(
        "action_progress_updates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("action_id", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.String(length=32), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("rag", sa.String(length=8), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["action_id"],
            ["actions.id"],
            name=op.f("fk_action_progress_updates_action_id_actions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_action_progress_updates")),
    )
    with op.batch_alter_table("action_progress_updates", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_action_progress_updates_action_id"), ["action_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("action_progress_updates", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_action_progress_updates_action_id"))
    op.drop_table("action_progress_updates")
    with op.batch_alter_table("actions", schema=None) as batch_op:
        batch_op.drop_column("rag")
