"""A process started on a database that isn't up to date stops with one line naming
`psif-bot migrate`, unless told to migrate (--migrate or PSIF_MIGRATE_ON_START)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, inspect

from cli_helpers import base_env, run_cli
from conftest import RESPONDENT_SECRET


def env_for(tmp_path: Path, database_url: str, **values: str) -> dict[str, str]:
    return (
        base_env(tmp_path)
        | {
            "DATABASE_URL": database_url,
            "SLACK_BOT_TOKEN": "xoxb-test",
            "SLACK_SIGNING_SECRET": "signing-secret",
            "SLACK_APP_TOKEN": "xapp-test",
            "PSIF_RESPONDENT_SECRET": RESPONDENT_SECRET,
            # Nothing answers here: a process that got past the check would fail differently.
            "SLACK_API_URL": "http://127.0.0.1:1/api/",
            # SQLite migrates itself by default; the setting turns that off.
            "PSIF_MIGRATE_ON_START": "false",
        }
        | values
    )


def tables(database_url: str) -> list[str]:
    engine = create_engine(database_url)
    try:
        return inspect(engine).get_table_names()
    finally:
        engine.dispose()


@pytest.mark.parametrize("command", [["serve"], ["worker"], ["socket"], ["scheduler"]])
def test_a_process_on_an_unmigrated_database_stops_with_one_line_naming_migrate(
    tmp_path: Path, empty_database_url: str, command: list[str]
) -> None:
    result = run_cli(*command, env=env_for(tmp_path, empty_database_url), cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "psif-bot can't start: The database has no tables yet: run `psif-bot migrate` first "
        "(or start with --migrate)."
    ]
    assert tables(empty_database_url) == []


def test_migrate_when_told_to_by_the_option(tmp_path: Path, empty_database_url: str) -> None:
    env = env_for(tmp_path, empty_database_url)
    result = run_cli("scheduler", "--once", "--migrate", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Scheduler pass done" in result.stderr
    assert "alembic_version" in tables(empty_database_url)


def test_migrate_when_told_to_by_the_setting(tmp_path: Path, empty_database_url: str) -> None:
    env = env_for(tmp_path, empty_database_url, PSIF_MIGRATE_ON_START="true")
    result = run_cli("scheduler", "--once", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "alembic_version" in tables(empty_database_url)


def test_sqlite_migrates_itself_by_default_for_a_newcomer(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'new.db'}"
    env = env_for(tmp_path, url)
    del env["PSIF_MIGRATE_ON_START"]
    assert run_cli("scheduler", "--once", env=env, cwd=tmp_path).returncode == 0
    assert "alembic_version" in tables(url)
