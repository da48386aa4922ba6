"""`psif-bot serve | socket | scheduler` and the respondent secret (issue 17)."""

from __future__ import annotations

from pathlib import Path

import pytest

from test_cli import base_env, run_cli

POSTGRES = "postgresql+psycopg://nobody@127.0.0.1:1/never"  # refused before connecting


def env_for(tmp_path: Path, **values: str) -> dict[str, str]:
    env = base_env(tmp_path)
    env.update(SLACK_BOT_TOKEN="xoxb-1", SLACK_SIGNING_SECRET="signing-secret-value")
    env.update(values)
    return env


@pytest.mark.parametrize("command", ["serve", "socket", "scheduler"])
def test_postgres_without_a_respondent_secret_stops_with_one_line_saying_how_to_make_one(
    tmp_path: Path, command: str
) -> None:
    result = run_cli(
        command,
        env=env_for(tmp_path, DATABASE_URL=POSTGRES, SLACK_APP_TOKEN="xapp-1"),
        cwd=tmp_path,
    )
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "PSIF_RESPONDENT_SECRET is not set" in line
    assert 'python3 -c "import secrets; print(secrets.token_urlsafe(32))"' in line


def test_a_respondent_secret_equal_to_the_signing_secret_is_refused(tmp_path: Path) -> None:
    env = env_for(tmp_path, PSIF_RESPONDENT_SECRET="signing-secret-value")
    result = run_cli("scheduler", "--once", env=env, cwd=tmp_path)
    assert result.returncode == 2
    [line] = result.stderr.strip().splitlines()
    assert "PSIF_RESPONDENT_SECRET is not valid" in line and "SLACK_SIGNING_SECRET" in line


def test_sqlite_without_a_secret_keeps_working_with_a_generated_local_one(tmp_path: Path) -> None:
    env = env_for(tmp_path, SLACK_API_URL="http://127.0.0.1:9/api/")
    result = run_cli("scheduler", "--once", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    secret_file = tmp_path / "cli.db.respondent-secret"
    assert secret_file.exists() and len(secret_file.read_bytes()) >= 32
