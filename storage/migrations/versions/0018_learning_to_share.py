"""Findings a lead marks as learning to share across Scottish local government (guidance §5.5).

Revision ID: 0018_learning_to_share
Revises: 0017_replay_by_day
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018_learning_to_share"
down_revision: str | Sequence[str] | None = "0017_replay_by_day"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.add_column(
            sa.Column("learning_to_share", sa.Boolean(), nullable=False, server_default=sa.false())
        )


def downgrade() -> None:
    with op.batch_alter_table("findings") as batch:
        batch.drop_column("learning_to_share")
