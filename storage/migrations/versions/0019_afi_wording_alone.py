"""An imported AFI's wording stands alone: the figures its import put at the end of the text
(" — 6.01: 0% agree of 4") come off. They stay with the AFI (its `figures`), shown in a line
under the wording where they matter; text a person has since reworded is left as it is.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019_afi_wording_alone"
down_revision: str | Sequence[str] | None = "0018_learning_to_share"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

afis = sa.table(
    "afis",
    sa.column("id", sa.Integer),
    sa.column("text", sa.Text),
    sa.column("statement_id", sa.String),
)


def wording_alone(text: str, statement_id: str) -> str:
    """`text` without the figures the import appended for `statement_id`, if it ends so:
    " — 6.01: 0% agree of 4", or as figures were later written, " — 6.01: 0 of 4 agree (0%)"."""
    figures = r"(\d+% agree of \d+|\d+ of \d+ agree \(\d+%\))"
    appended = re.compile(rf" — {re.escape(statement_id)}: {figures}$")
    return appended.sub("", text)


def upgrade() -> None:
    connection = op.get_bind()
    imported = connection.execute(
        sa.select(afis.c.id, afis.c.text, afis.c.statement_id).where(
            afis.c.statement_id.is_not(None)
        )
    ).all()
    for afi_id, text, statement_id in imported:
        alone = wording_alone(text, statement_id)
        if alone != text:
            connection.execute(sa.update(afis).where(afis.c.id == afi_id).values(text=alone))


def downgrade() -> None:
    """Nothing to put back: the figures are still in each AFI's `figures`."""
