"""pseudonymous progress

Moves "who has finished" off the identity table: `checklist_participants.finished_at` goes,
and each finished respondent is recorded under their pseudonymous key in the new
`checklist_completions`. Rounds learn when a lead closed them early, when results were
first shown and when their answers were last sealed. On SQLite the keyed tables become
WITHOUT ROWID, so their storage order no longer records the order people answered in; on
PostgreSQL the answers are rewritten in key order for the same reason.

Who had finished is carried over without the respondent secret: a person was marked
finished exactly when they had saved every section, so in a review where anyone had
finished, the keys holding as many sections as the most complete respondent are the
finished ones. The downgrade cannot map keys back to people and leaves `finished_at` empty.

Revision ID: 0008_pseudonymous_progress
Revises: 0007_outbox
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008_pseudonymous_progress"
down_revision: str | Sequence[str] | None = "0007_outbox"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

_ANSWER_COLUMNS = "review_id, respondent_key, section_number, answers, strengths, improvements"


def upgrade() -> None:
    with op.batch_alter_table("checklist_rounds") as batch:
        batch.add_column(sa.Column("closed_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(
            sa.Column("results_released_at", sa.DateTime(timezone=True), nullable=True)
        )
        batch.add_column(sa.Column("sealed_at", sa.DateTime(timezone=True), nullable=True))
    op.create_table(
        "checklist_completions",
        sa.Column("review_id", sa.Integer(), nullable=False),
        sa.Column("respondent_key", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["review_id"],
            ["reviews.id"],
            name=op.f("fk_checklist_completions_review_id_reviews"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "review_id", "respondent_key", name=op.f("pk_checklist_completions")
        ),
        sqlite_with_rowid=False,
    )
    op.execute(
        """
        INSERT INTO checklist_completions (review_id, respondent_key)
        SELECT saved.review_id, saved.respondent_key
        FROM (
            SELECT review_id, respondent_key, COUNT(*) AS sections
            FROM checklist_responses GROUP BY review_id, respondent_key
        ) AS saved
        JOIN (
            SELECT review_id, MAX(sections) AS most
            FROM (
                SELECT review_id, COUNT(*) AS sections
                FROM checklist_responses GROUP BY review_id, respondent_key
            ) AS per_key
            GROUP BY review_id
        ) AS best ON best.review_id = saved.review_id AND best.most = saved.sections
        WHERE saved.review_id IN (
            SELECT review_id FROM checklist_participants WHERE finished_at IS NOT NULL
        )
        ORDER BY saved.review_id, saved.respondent_key
        """
    )
    with op.batch_alter_table("checklist_participants") as batch:
        batch.drop_column("finished_at")
    if op.get_bind().dialect.name == "sqlite":
        with op.batch_alter_table(
            "checklist_responses", recreate="always", table_kwargs={"sqlite_with_rowid": False}
        ):
            pass
    else:
        op.execute(
            f"CREATE TEMPORARY TABLE answers_in_key_order AS SELECT {_ANSWER_COLUMNS} "
            "FROM checklist_responses"
        )
        op.execute("DELETE FROM checklist_responses")
        op.execute(
            f"INSERT INTO checklist_responses ({_ANSWER_COLUMNS}) SELECT {_ANSWER_COLUMNS} "
            "FROM answers_in_key_order ORDER BY review_id, respondent_key, section_number"
        )
        op.execute("DROP TABLE answers_in_key_order")


def downgrade() -> None:
    with op.batch_alter_table("checklist_participants") as batch:
        batch.add_column(sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True))
    op.drop_table("checklist_completions")
    with op.batch_alter_table("checklist_rounds") as batch:
        batch.drop_column("sealed_at")
        batch.drop_column("results_released_at")
        batch.drop_column("closed_at")
