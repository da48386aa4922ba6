"""Closed is a state, not a stage: a closed review keeps the stage it was closed in.

Reviews closed before this stored the stage "closed"; each gets back the stage its audit
trail says it was closed from (Follow-up if the trail doesn't say). `closed_at` already
says whether a review is closed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0020_closed_is_a_state"
down_revision: str | Sequence[str] | None = "0019_afi_wording_alone"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

reviews = sa.table("reviews", sa.column("id", sa.Integer), sa.column("stage", sa.String))
audit = sa.table(
    "audit_events",
    sa.column("id", sa.Integer),
    sa.column("review_id", sa.Integer),
    sa.column("action", sa.String),
    sa.column("details", sa.JSON),
)


def _closed_from(connection: sa.Connection, review_id: int) -> str:
    for (details,) in connection.execute(
        sa.select(audit.c.details)
        .where(audit.c.review_id == review_id, audit.c.action == "stage.changed")
        .order_by(audit.c.id.desc())
    ):
        found = json.loads(details) if isinstance(details, str) else details
        if found.get("to") == "closed" and found.get("from"):
            return str(found["from"])
    return "follow_up"


def upgrade() -> None:
    connection = op.get_bind()
    closed = connection.execute(sa.select(reviews.c.id).where(reviews.c.stage == "closed"))
    for (review_id,) in closed.all():
        connection.execute(
            reviews.update()
            .where(reviews.c.id == review_id)
            .values(stage=_closed_from(connection, review_id))
        )


def downgrade() -> None:
    op.execute("UPDATE reviews SET stage = 'closed' WHERE closed_at IS NOT NULL")
