"""When the scheduler last finished each pass, for GET /metrics.

Revision ID: 0022_scheduler_passes
Revises: 0021_host_participants
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0022_scheduler_passes"
down_revision: str | Sequence[str] | None = "0021_host_participants"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "scheduler_passes",
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name"),
    )


def downgrade() -> None:
    op.drop_table("scheduler_passes")
