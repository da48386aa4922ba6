"""vote: hidden tally, automatic closing time and tie-break rounds

Revision ID: 0016_vote_close_and_tie_break
Revises: 0015_invitation_messages
Create Date: 2026-12-02 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016_vote_close_and_tie_break"
down_revision: str | Sequence[str] | None = "0015_invitation_messages"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("afi_vote_rounds", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("tally_hidden", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("closes_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column("tie_break_of", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("tie_places", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("tie_candidates", sa.JSON(), nullable=False, server_default="[]")
        )
        batch_op.create_foreign_key(
            batch_op.f("fk_afi_vote_rounds_tie_break_of_afi_vote_rounds"),
            "afi_vote_rounds",
            ["tie_break_of"],
            ["id"],
            ondelete="CASCADE",
        )


def downgrade() -> None:
    with op.batch_alter_table("afi_vote_rounds", schema=None) as batch_op:
        batch_op.drop_constraint(
            batch_op.f("fk_afi_vote_rounds_tie_break_of_afi_vote_rounds"), type_="foreignkey"
        )
        batch_op.drop_column("tie_candidates")
        batch_op.drop_column("tie_places")
        batch_op.drop_column("tie_break_of")
        batch_op.drop_column("closes_at")
        batch_op.drop_column("tally_hidden")
