"""outbox, applied requests and review counters

Revision ID: 0007_outbox
Revises: 0006_afi_voting
Create Date: 2026-12-02 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0007_outbox"
down_revision: str | Sequence[str] | None = "0006_afi_voting"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "slack_outbox",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("team_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("coalesce_key", sa.String(length=200), nullable=True),
        sa.Column("lane", sa.String(length=200), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("not_before", sa.DateTime(timezone=True), nullable=False),
        sa.Column("min_gap", sa.Float(), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.String(length=200), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_slack_outbox")),
    )
    op.create_index("ix_slack_outbox_claimable", "slack_outbox", ["status", "not_before"])
    op.create_index("ix_slack_outbox_key", "slack_outbox", ["coalesce_key", "status"])
    op.create_index("ix_slack_outbox_lane", "slack_outbox", ["lane", "status"])
    op.create_index(
        "uq_slack_outbox_pending_key",
        "slack_outbox",
        ["coalesce_key"],
        unique=True,
        sqlite_where=sa.text("status = 'pending'"),
        postgresql_where=sa.text("status = 'pending'"),
    )
    op.create_table(
        "applied_requests",
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_applied_requests")),
    )
    op.create_index(op.f("ix_applied_requests_applied_at"), "applied_requests", ["applied_at"])
    op.create_table(
        "review_counters",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=32), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("review_id", "name", name=op.f("pk_review_counters")),
    )
    # Events are now claimed in applied_requests before they run.
    op.drop_table("processed_events")
    # Existing reviews continue from their highest numbers.
    op.execute(
        "INSERT INTO review_counters (review_id, name, value) "
        "SELECT review_id, 'afi', MAX(number) FROM afis GROUP BY review_id"
    )
    op.execute(
        "INSERT INTO review_counters (review_id, name, value) "
        "SELECT review_id, 'action', MAX(number) FROM actions GROUP BY review_id"
    )


def downgrade() -> None:
    op.create_table(
        "processed_events",
        sa.Column("event_id", sa.String(length=64), nullable=False),
        sa.Column("received_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("event_id", name=op.f("pk_processed_events")),
    )
    op.drop_table("review_counters")
    op.drop_index(op.f("ix_applied_requests_applied_at"), table_name="applied_requests")
    op.drop_table("applied_requests")
    op.drop_index("uq_slack_outbox_pending_key", table_name="slack_outbox")
    op.drop_index("ix_slack_outbox_lane", table_name="slack_outbox")
    op.drop_index("ix_slack_outbox_key", table_name="slack_outbox")
    op.drop_index("ix_slack_outbox_claimable", table_name="slack_outbox")
    op.drop_table("slack_outbox")
