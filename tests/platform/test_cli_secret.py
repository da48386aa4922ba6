"""`psif-bot serve | socket | scheduler` and the respondent secret (issue 17)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

from cli_helpers import base_env, run_cli

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


def git_work_tree(path: Path, *ignored: str) -> None:
    subprocess.run(["git", "init", "--quiet", str(path)], check=True)
    if ignored:
        (path / ".gitignore").write_text("".join(f"{pattern}\n" for pattern in ignored))


def warnings_about_the_secret(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if "would commit it" in line]


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git on the PATH")
def test_start_up_warns_once_when_a_git_work_tree_would_commit_the_secret_file(
    tmp_path: Path,
) -> None:
    git_work_tree(tmp_path, "*.db")
    env = env_for(tmp_path, SLACK_API_URL="http://127.0.0.1:9/api/")
    result = run_cli("scheduler", "--once", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr  # a warning, never a refusal
    [line] = warnings_about_the_secret(result.stderr)
    assert str(tmp_path / "cli.db.respondent-secret") in line
    assert "add `*.respondent-secret` to .gitignore" in line
    # Ignored (as this repository's own .gitignore does): nothing to say.
    (tmp_path / ".gitignore").write_text("*.db\n*.respondent-secret\n")
    quiet = run_cli("scheduler", "--once", env=env, cwd=tmp_path)
    assert quiet.returncode == 0, quiet.stderr
    assert warnings_about_the_secret(quiet.stderr) == []


def test_no_warning_outside_a_work_tree_or_without_git(tmp_path: Path) -> None:
    env = env_for(tmp_path, SLACK_API_URL="http://127.0.0.1:9/api/")
    outside = run_cli("scheduler", "--once", env=env, cwd=tmp_path)
    assert outside.returncode == 0, outside.stderr
    assert warnings_about_the_secret(outside.stderr) == []
    if shutil.which("git") is not None:
        git_work_tree(tmp_path)
    no_git = run_cli("scheduler", "--once", env=env | {"PATH": str(tmp_path)}, cwd=tmp_path)
    assert no_git.returncode == 0, no_git.stderr
    assert warnings_about_the_secret(no_git.stderr) == []


def test_this_repository_ignores_the_secret_file() -> None:
    ignore = (Path(__file__).resolve().parents[2] / ".gitignore").read_text().splitlines()
    assert "*.respondent-secret" in ignore
