"""When the papers went to each host participant, so that each gets them once (one added
after the papers went out gets them with the fieldwork schedule)."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0024_participants_papers_sent"
down_revision: str | Sequence[str] | None = "0023_results_post"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("host_participants") as table:
        table.add_column(sa.Column("papers_sent_at", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("host_participants") as table:
        table.drop_column("papers_sent_at")
