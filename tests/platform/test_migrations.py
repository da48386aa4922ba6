"""Alembic migrations: one line of history, and they build exactly the models' schema."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.operations import Operations
from alembic.script import ScriptDirectory
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from sqlalchemy import MetaData, Table, create_engine, text

from bot.core.roles import Role
from storage.db import make_session_factory, transaction
from storage.migrate import MIGRATIONS_DIR, alembic_config, upgrade_to_head
from storage.models.installations import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE
from storage.schema import metadata

from cli_helpers import base_env, run_cli
from conftest import TestDatabase
from factories import add_afis, make_review


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


def test_a_database_at_the_folded_head_is_brought_up_to_date(db: TestDatabase) -> None:
    head = ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()
    upgrade_to_head(db.url)
    with db.engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_heads() == (head,)
    script = ScriptDirectory.from_config(alembic_config("sqlite://"))
    assert "0017_replay_by_day" in {revision.revision for revision in script.walk_revisions()}


def test_a_review_closed_before_closing_became_a_state_keeps_the_stage_it_left(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    config = alembic_config(url)
    command.upgrade(config, "0017_replay_by_day")
    engine = create_engine(url)
    with engine.begin() as connection:
        for review_id, stage in ((1, "closed"), (2, "closed"), (3, "reporting")):
            connection.execute(
                text(
                    "INSERT INTO reviews (id, team_id, channel_id, host_council, focus, "
                    "rationale, peer_rationale, checklist_id, stage, created_by, created_at, "
                    "closed_at) VALUES (:id, 'T', :channel, 'Fife', 'Roads', '', '', "
                    "'psif-default', :stage, 'U', '2026-01-01', "
                    "CASE WHEN :stage = 'closed' THEN '2026-06-01' END)"
                ),
                {"id": review_id, "channel": f"C{review_id}", "stage": stage},
            )
        connection.execute(
            text(
                "INSERT INTO audit_events (review_id, actor_id, action, details, at) VALUES "
                "(1, 'U', 'stage.changed', :details, '2026-06-01')"
            ),
            {"details": '{"from": "sharing", "to": "closed"}'},
        )
    command.upgrade(config, "head")
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, stage FROM reviews")).all()
    stages = {int(review_id): str(stage) for review_id, stage in rows}
    assert stages == {1: "sharing", 2: "follow_up", 3: "reporting"}


def test_a_database_older_than_the_baseline_gets_one_line_saying_what_to_do(
    tmp_path: Path,
) -> None:
    env = base_env(tmp_path)
    with create_engine(env["DATABASE_URL"]).begin() as connection:
        connection.execute(text("CREATE TABLE alembic_version (version_num VARCHAR(32))"))
        connection.execute(text("INSERT INTO alembic_version VALUES ('0010_team_and_peers')"))
    result = run_cli(
        "migrate",
        env=env | {"SLACK_BOT_TOKEN": "xoxb-test", "SLACK_SIGNING_SECRET": "s"},
        cwd=tmp_path,
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert [line for line in result.stderr.splitlines() if "can't start" in line] == [
        "psif-bot can't start: The database is at revision 0010_team_and_peers, older than "
        "this release can upgrade: run `psif-bot migrate` with the previous release first, "
        "then again with this one."
    ]


def test_imported_afis_lose_the_figures_their_import_appended_and_nothing_else(
    db: TestDatabase,
) -> None:
    wording = (MIGRATIONS_DIR / "versions" / "0019_afi_wording_alone.py").read_text()
    migration = ModuleType("afi_wording_alone")
    exec(compile(wording, "0019_afi_wording_alone.py", "exec"), migration.__dict__)
    texts = {
        "6.01": "The service doesn't measure customer satisfaction — 6.01: 0% agree of 4",
        "2.07": "Staff aren't asked for ideas — 2.07: 0% agree of 7, reworded",
        "3.01": "Leaders aren't visible — 3.01: 2 of 7 agree (29%)",
        None: "Typed by the team — 6.01: 0% agree of 4",
    }
    with transaction(make_session_factory(db.engine)) as session:
        review = make_review(session, members=(("UHOST", Role.HOST_LEAD),))
        for statement_id, wording in texts.items():
            (afi,) = add_afis(session, review_id=review.id, texts=[wording], author_id="UHOST")
            afi.statement_id = statement_id
    with (
        db.engine.begin() as connection,
        Operations.context(MigrationContext.configure(connection)),
    ):
        migration.upgrade()
    with db.engine.connect() as connection:
        rows = connection.execute(text("SELECT statement_id, text FROM afis")).all()
    after: dict[str | None, str] = {statement_id: wording for statement_id, wording in rows}
    assert after == {
        "6.01": "The service doesn't measure customer satisfaction",
        "2.07": texts["2.07"],
        "3.01": "Leaders aren't visible",
        None: texts[None],
    }
