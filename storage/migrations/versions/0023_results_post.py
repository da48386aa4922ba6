"""Where a self-assessment's results were posted, so `/psif results` posts them once and
later points to that post (issue 28).

Revision ID: 0023_results_post
Revises: 0022_scheduler_passes
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023_results_post"
down_revision: str | Sequence[str] | None = "0022_scheduler_passes"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("checklist_rounds") as batch:
        batch.add_column(sa.Column("results_posted_at", sa.DateTime(timezone=True)))
        batch.add_column(sa.Column("results_channel_id", sa.String(32)))
        batch.add_column(sa.Column("results_ts", sa.String(32)))


def downgrade() -> None:
    with op.batch_alter_table("checklist_rounds") as batch:
        batch.drop_column("results_ts")
        batch.drop_column("results_channel_id")
        batch.drop_column("results_posted_at")
