"""Survey links for stakeholders outside Slack, and the rate limit on tried links."""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0025_survey_links"
down_revision: str | Sequence[str] | None = "0024_participants_papers_sent"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "survey_links",
        sa.Column("link_hash", sa.String(64), primary_key=True),
        sa.Column(
            "review_id",
            sa.Integer(),
            sa.ForeignKey("reviews.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        sa.Column("source", sa.String(16), nullable=False),
        sa.Column("withdrawn", sa.Boolean(), nullable=False),
        sqlite_with_rowid=False,
    )
    op.create_table(
        "survey_tries",
        sa.Column("address_hash", sa.String(64), primary_key=True),
        sa.Column("window_start", sa.DateTime(timezone=True), primary_key=True),
        sa.Column("tries", sa.Integer(), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("survey_tries")
    op.drop_table("survey_links")
