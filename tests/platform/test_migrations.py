"""Alembic migrations: one line of history, and they build exactly the models' schema."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table

from storage.migrate import alembic_config
from storage.models.installations import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE
from storage.schema import metadata

from conftest import TestDatabase


def test_history_is_one_line_with_a_single_head() -> None:
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert len(script.get_heads()) == 1
    assert len(script.get_bases()) == 1


def test_migrated_database_matches_the_models(db: TestDatabase) -> None:
    with db.engine.connect() as connection:
        context = MigrationContext.configure(connection)
        assert compare_metadata(context, metadata) == []


def test_installation_tables_are_declared_as_slack_sdk_builds_them() -> None:
    """slack-sdk's stores use their own definitions of these tables; ours must match them."""
    theirs = MetaData()
    built = [
        SQLAlchemyInstallationStore.build_bots_table(theirs, BOTS_TABLE),
        SQLAlchemyInstallationStore.build_installations_table(theirs, INSTALLATIONS_TABLE),
        SQLAlchemyOAuthStateStore.build_oauth_states_table(theirs, OAUTH_STATES_TABLE),
    ]

    def shape(table: Table) -> object:
        columns = [
            (c.name, repr(c.type), c.nullable, c.primary_key, c.default is not None)
            for c in table.columns
        ]
        indexes = sorted((i.name, [c.name for c in i.columns]) for i in table.indexes)
        return columns, indexes

    assert [shape(metadata.tables[table.name]) for table in built] == [
        shape(table) for table in built
    ]
