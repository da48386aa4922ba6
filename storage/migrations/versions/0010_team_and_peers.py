"""team and peers: peer reviewers' organisations, peer council states, one open review per
channel whatever the workspace

Revision ID: 0010_team_and_peers
Revises: 0009_request_replay
Create Date: 2026-11-26 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010_team_and_peers"
down_revision: str | Sequence[str] | None = "0009_request_replay"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

OPEN = sa.text("closed_at IS NULL")


def upgrade() -> None:
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.add_column(sa.Column("organisation", sa.String(length=120), nullable=True))
    with op.batch_alter_table("peer_councils", schema=None) as batch_op:
        batch_op.alter_column(
            "council", existing_type=sa.String(length=64), type_=sa.String(length=120)
        )
        batch_op.add_column(
            sa.Column("is_partner", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(
            sa.Column("state", sa.String(length=16), nullable=False, server_default="to_approach")
        )
        batch_op.add_column(sa.Column("approached_on", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("nominees", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(
            sa.Column("declined_reason", sa.Text(), nullable=False, server_default="")
        )
    # Slack Connect: a shared channel has one id in every workspace, so a channel holds one
    # open review whoever opened it.
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("uq_reviews_open_channel", sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index(
            "uq_reviews_open_channel",
            ["channel_id"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )


def downgrade() -> None:
    with op.batch_alter_table("reviews", schema=None) as batch_op:
        batch_op.drop_index("uq_reviews_open_channel", sqlite_where=OPEN, postgresql_where=OPEN)
        batch_op.create_index(
            "uq_reviews_open_channel",
            ["team_id", "channel_id"],
            unique=True,
            sqlite_where=OPEN,
            postgresql_where=OPEN,
        )
    with op.batch_alter_table("peer_councils", schema=None) as batch_op:
        batch_op.drop_column("declined_reason")
        batch_op.drop_column("nominees")
        batch_op.drop_column("approached_on")
        batch_op.drop_column("state")
        batch_op.drop_column("is_partner")
        batch_op.alter_column(
            "council", existing_type=sa.String(length=120), type_=sa.String(length=64)
        )
    with op.batch_alter_table("team_members", schema=None) as batch_op:
        batch_op.drop_column("organisation")
