"""more counters: findings, fieldwork sessions and report versions are numbered from the
review's counters

Revision ID: 0013_more_counters
Revises: 0012_installations
Create Date: 2026-12-02 16:30:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0013_more_counters"
down_revision: str | Sequence[str] | None = "0012_installations"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Existing reviews continue from their highest numbers.
    op.execute(
        "INSERT INTO review_counters (review_id, name, value) "
        "SELECT review_id, 'finding', MAX(number) FROM findings GROUP BY review_id"
    )
    op.execute(
        "INSERT INTO review_counters (review_id, name, value) "
        "SELECT review_id, 'fieldwork_session', MAX(number) FROM fieldwork_sessions "
        "GROUP BY review_id"
    )
    op.execute(
        "INSERT INTO review_counters (review_id, name, value) "
        "SELECT review_id, 'report_version', MAX(number) FROM report_versions GROUP BY review_id"
    )


def downgrade() -> None:
    op.execute(
        "DELETE FROM review_counters "
        "WHERE name IN ('finding', 'fieldwork_session', 'report_version')"
    )
