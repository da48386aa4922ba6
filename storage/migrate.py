"""Run Alembic migrations from code, so `psif-bot migrate` works from an installed package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from storage.db import make_engine

# Alembic is imported when a migration runs: it logs as it loads, and `psif-bot` imports this
# module before it knows which command runs.
if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).parent / "migrations"


# The migrations folded into the baseline were numbered 0001 to 0016.
FOLDED_BEFORE = 17


class UnknownRevision(Exception):
    """The database is at a revision this release doesn't know; the message is one line
    saying what to do."""


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation treats % specially; URLs may hold %-escaped passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


def upgrade_to_head(database_url: str) -> None:
    """Bring the database to the newest schema (every branch head)."""
    from alembic import command
    from alembic.migration import MigrationContext
    from alembic.script import ScriptDirectory

    config = alembic_config(database_url)
    known = {script.revision for script in ScriptDirectory.from_config(config).walk_revisions()}
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_heads()
    finally:
        engine.dispose()
    for revision in current:
        if revision in known:
            continue
        if revision[:4].isdigit() and int(revision[:4]) < FOLDED_BEFORE:
            raise UnknownRevision(
                f"The database is at revision {revision}, older than this release can "
                "upgrade: run `psif-bot migrate` with the previous release first, then again "
                "with this one."
            )
        raise UnknownRevision(
            f"The database is at revision {revision}, which this release doesn't know: it was "
            "migrated by a newer release, so run that one."
        )
    command.upgrade(config, "heads")
