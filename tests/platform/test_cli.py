"""The `psif-bot` command as an operator runs it."""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from sqlalchemy import create_engine

from bot.app import create_app
from bot.cli import build_parser, web_workers
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.settings import Settings
from bot.sizing import default_workers, describe, this_machine
from bot.web import create_asgi_app
from storage.db import make_session_factory

from cli_helpers import base_env, free_port, run_cli


def test_missing_setting_stops_start_up_with_one_clear_line(tmp_path: Path) -> None:
    result = run_cli("serve", env=base_env(tmp_path), cwd=tmp_path)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert lines == [lines[0]] and "SLACK_BOT_TOKEN is not set" in lines[0]
    assert "Traceback" not in result.stderr


def test_migrate_then_serve_answers_healthz_from_two_worker_processes(tmp_path: Path) -> None:
    env = base_env(tmp_path) | {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "s",
        "PORT": str(free_port()),
    }
    assert run_cli("migrate", env=env, cwd=tmp_path).returncode == 0
    server = subprocess.Popen(
        # Each worker builds its own app, engine and outbox worker after the fork.
        [sys.executable, "-m", "bot.cli", "serve", "--workers", "2"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        # Generous: two workers start from cold on a loaded CI machine.
        deadline = time.monotonic() + 60
        while True:
            try:
                url = f"http://127.0.0.1:{env['PORT']}/healthz"
                with urllib.request.urlopen(url, timeout=2) as response:
                    assert response.status == 200
                    assert json.loads(response.read()) == {"status": "ok", "database": "ok"}
                    break
            except (urllib.error.URLError, ConnectionError):
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        unsigned = urllib.request.Request(
            f"http://127.0.0.1:{env['PORT']}/slack/events", data=b"command=%2Fpsif", method="POST"
        )
        try:
            urllib.request.urlopen(unsigned, timeout=5)
            raise AssertionError("an unsigned request was accepted")
        except urllib.error.HTTPError as error:
            assert error.code == 401
    finally:
        server.terminate()
        server.wait(timeout=20)


def test_serve_workers_come_from_the_option_the_settings_or_one_on_sqlite(
    settings: Settings,
) -> None:
    asked = build_parser().parse_args(["serve"])
    sqlite = settings.model_copy(update={"database_url": "sqlite:///x.db"})
    postgres = settings.model_copy(update={"database_url": "postgresql+psycopg://h/db"})
    assert web_workers(asked, sqlite) == (1, "on SQLite; set WEB_CONCURRENCY to change")
    machine = this_machine()
    assert web_workers(asked, postgres) == (
        default_workers(machine),
        f"for {describe(machine)}; set WEB_CONCURRENCY to change",
    )
    platform = postgres.model_copy(update={"web_concurrency": 2})
    assert web_workers(asked, platform) == (2, "from WEB_CONCURRENCY")
    ours = platform.model_copy(update={"web_workers": 3})
    assert web_workers(asked, ours) == (3, "from PSIF_WEB_WORKERS")
    told = build_parser().parse_args(["serve", "--workers", "5"])
    assert web_workers(told, ours) == (5, "from --workers")


def test_healthz_is_503_when_the_database_does_not_answer(settings: Settings) -> None:
    dead = create_engine(
        "postgresql+psycopg://nobody@127.0.0.1:1/none", connect_args={"connect_timeout": 1}
    )
    deps = Deps(settings=settings, engine=dead, sessions=make_session_factory(dead))
    with serve_in_background(create_asgi_app(create_app(settings, deps), deps)) as url:
        try:
            urllib.request.urlopen(f"{url}/healthz", timeout=10)
            raise AssertionError("healthz answered 200 without a database")
        except urllib.error.HTTPError as error:
            assert error.code == 503
            assert json.loads(error.read())["database"] == "not answering"
    deps.close()
