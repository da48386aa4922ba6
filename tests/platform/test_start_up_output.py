"""What an operator sees when `psif-bot serve` starts: the choices it made (workers, how it
reaches Slack), and no warnings or library chatter nobody can act on; as JSON lines when
PSIF_LOG_FORMAT=json, in the worker processes too."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from pathlib import Path

from cli_helpers import base_env, free_port
from conftest import RESPONDENT_SECRET
from fake_slack import FakeSlack


def start_up_output(
    tmp_path: Path, fake_slack: FakeSlack, *args: str, started: int = 1, **values: str
) -> str:
    """stderr of `psif-bot serve`, from start until it answers /healthz and `started` web
    processes have said so (one answering is not all of them started), then stopped."""
    env = base_env(tmp_path) | {
        "SLACK_BOT_TOKEN": "xoxb-test",
        "SLACK_SIGNING_SECRET": "signing-secret",
        "PSIF_RESPONDENT_SECRET": RESPONDENT_SECRET,
        "SLACK_API_URL": fake_slack.base_url,
        "PORT": str(free_port()),
        **values,
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve", *args],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(server.stderr or ()), daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + 60
        answered = False
        while not answered or sum("Started server process" in line for line in lines) < started:
            assert server.poll() is None, "serve stopped"
            assert time.monotonic() < deadline, "serve did not start"
            try:
                url = f"http://127.0.0.1:{env['PORT']}/healthz"
                with urllib.request.urlopen(url, timeout=2):
                    answered = True
            except (urllib.error.URLError, ConnectionError):
                pass
            time.sleep(0.2)
    finally:
        server.terminate()
        server.wait(timeout=30)
        reader.join(timeout=30)
    return "".join(lines)


def test_start_up_says_what_it_chose_and_nothing_nobody_can_act_on(
    tmp_path: Path, fake_slack: FakeSlack
) -> None:
    output = start_up_output(tmp_path, fake_slack)
    assert "with 1 worker process (on SQLite; set WEB_CONCURRENCY to change)" in output
    assert "Reaching Slack in one workspace (SLACK_BOT_TOKEN)." in output
    assert "Running upgrade" in output  # the newcomer's SQLite database, migrated
    for noise in ("`token` will be unused", "alembic.runtime.plugins", "Context impl", "WARNING"):
        assert noise not in output


def test_json_logs_from_every_process(tmp_path: Path, fake_slack: FakeSlack) -> None:
    output = start_up_output(
        tmp_path,
        fake_slack,
        "--workers",
        "2",
        started=2,
        PSIF_LOG_FORMAT="json",
        WEB_CONCURRENCY="3",
    )
    records = [json.loads(line) for line in output.splitlines()]
    assert {record["level"] for record in records} == {"INFO"}
    assert {"time", "level", "logger", "message"} <= set(records[0])
    messages = [record["message"] for record in records]
    assert any("with 2 worker processes (from --workers)" in message for message in messages)
    # Each worker process logs its start in JSON too.
    started = [message for message in messages if message.startswith("Started server process")]
    assert len(started) == 2
    loggers = {record["logger"] for record in records}
    assert loggers <= {"psif-bot", "alembic.runtime.migration", "uvicorn.error"}
