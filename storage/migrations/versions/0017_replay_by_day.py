"""request replay: keyed hashes of signatures and event ids, with a day for expiry

The old rows held raw signatures with an expiry to the second (the request's time plus six
minutes), which dated every request, a self-assessment answer's save included. They are
dropped: they matter for six minutes at most, and the new keys can't be made from them
without the signing secret.

Revision ID: 0017_replay_by_day
Revises: 0016_vote_close_and_tie_break
Create Date: 2026-12-03 10:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017_replay_by_day"
down_revision: str | Sequence[str] | None = "0016_vote_close_and_tie_break"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.drop_index(op.f("ix_seen_requests_expires_at"), table_name="seen_requests")
    op.drop_table("seen_requests")
    op.create_table(
        "seen_requests",
        sa.Column("key", sa.String(length=64), nullable=False),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_seen_requests")),
    )
    op.create_index(
        op.f("ix_seen_requests_expires_on"), "seen_requests", ["expires_on"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_seen_requests_expires_on"), table_name="seen_requests")
    op.drop_table("seen_requests")
    op.create_table(
        "seen_requests",
        sa.Column("signature", sa.String(length=64), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("signature", name=op.f("pk_seen_requests")),
    )
    op.create_index(
        op.f("ix_seen_requests_expires_at"), "seen_requests", ["expires_at"], unique=False
    )
