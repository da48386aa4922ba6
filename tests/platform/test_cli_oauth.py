"""`psif-bot serve` for many workspaces: with only the client id and secret it starts, says
which mode it is in, and serves the "Add to Slack" page."""

from __future__ import annotations

import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from cli_helpers import base_env, free_port


def test_serve_with_only_client_credentials_serves_the_install_page(tmp_path: Path) -> None:
    env = base_env(tmp_path) | {
        "SLACK_CLIENT_ID": "1111.2222",
        "SLACK_CLIENT_SECRET": "client-secret",
        "SLACK_SIGNING_SECRET": "s",
        "PORT": str(free_port()),
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        env=env,
        cwd=tmp_path,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                url = f"http://127.0.0.1:{env['PORT']}/slack/install"
                with urllib.request.urlopen(url, timeout=2) as response:
                    page = response.read().decode()
                    break
            except (urllib.error.URLError, ConnectionError):
                assert server.poll() is None, "server stopped"
                assert time.monotonic() < deadline, "server did not start"
                time.sleep(0.2)
        assert "slack.com/oauth/v2/authorize" in page and "client_id=1111.2222" in page
    finally:
        server.terminate()
        _out, errors = server.communicate(timeout=10)
    assert "many workspaces (OAuth)" in errors
