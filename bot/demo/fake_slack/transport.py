"""HTTP plumbing for the fake Slack: a threaded server on 127.0.0.1 (ephemeral port) that
hands each request's path, query, headers and body to whoever answers it."""

from __future__ import annotations

import contextlib
import json
import traceback
from collections.abc import Mapping
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Protocol
from urllib.parse import parse_qsl, urlsplit

# Arguments that slack_sdk (or Slack itself) accepts as JSON-encoded strings in form data.
_JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks")

Reply = tuple[int, bytes, dict[str, str]]  # status, body, headers


class Answers(Protocol):
    def handle(self, path: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one request; ``headers`` has lower-case names."""


def json_body(body: Mapping[str, Any]) -> bytes:
    return json.dumps(body).encode("utf-8")


def parse_args(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Merge query string and body (JSON or form-encoded); decode JSON-string fields."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if body:
        if content_type.startswith("application/json"):
            decoded = json.loads(body)
            if not isinstance(decoded, dict):
                raise ValueError("JSON body must be an object")
            args.update(decoded)
        else:
            args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in _JSON_FIELDS:
        value = args.get(key)
        if isinstance(value, str) and value.startswith(("[", "{")):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


class Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # like Slack, take a burst of calls without refusing any

    def __init__(self, fake: Answers) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: Server

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        """Keep test output quiet."""

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        try:
            request_headers = {name.lower(): value for name, value in self.headers.items()}
            status, payload, headers = self.server.fake.handle(
                url.path, url.query, request_headers, body
            )
        except Exception:  # a bug in the fake: make it visible to the client and the test
            status, headers = 500, {"Content-Type": "application/json"}
            payload = json_body(
                {"ok": False, "error": "fake_slack_crashed", "traceback": traceback.format_exc()}
            )
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
