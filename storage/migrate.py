"""Run Alembic migrations from code, so `psif-bot migrate` works from an installed package."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from storage.db import make_engine

# Alembic is imported when a migration runs: it logs as it loads, and `psif-bot` imports this
# module before it knows which command runs.
if TYPE_CHECKING:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
FOLDED_BEFORE = 17  # the migrations folded into the baseline were numbered 0001 to 0016


class UnknownRevision(Exception):
    """The database is at a revision this release doesn't know; the message says what to do."""


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS_DIR))
    # ConfigParser interpolation treats % specially; URLs may hold %-escaped passwords.
    config.set_main_option("sqlalchemy.url", database_url.replace("%", "%%"))
    return config


class SchemaBehind(Exception):
    """The database's schema is older than this release's (or absent); the message says what
    to do."""


def _known_heads(database_url: str, script: ScriptDirectory) -> tuple[str, ...]:
    """The database's revisions; UnknownRevision if this release doesn't know one."""
    from alembic.migration import MigrationContext

    engine = make_engine(database_url)
    try:
        with engine.connect() as connection:
            current = tuple(MigrationContext.configure(connection).get_current_heads())
    finally:
        engine.dispose()
    known = {revision.revision for revision in script.walk_revisions()}
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
    return current


def require_up_to_date(database_url: str) -> None:
    """Raise SchemaBehind (or UnknownRevision) unless the database is at this release's
    newest schema: a process that doesn't migrate must not meet missing tables mid-request."""
    from alembic.script import ScriptDirectory

    script = ScriptDirectory.from_config(alembic_config(database_url))
    current = _known_heads(database_url, script)
    if set(current) != set(script.get_heads()):
        state = "has no tables yet" if not current else "is not up to date"
        raise SchemaBehind(
            f"The database {state}: run `psif-bot migrate` first (or start with --migrate)."
        )


def upgrade_to_head(database_url: str) -> None:
    """Bring the database to the newest schema (every branch head)."""
    from alembic import command
    from alembic.script import ScriptDirectory

    config = alembic_config(database_url)
    _known_heads(database_url, ScriptDirectory.from_config(config))
    command.upgrade(config, "heads")
