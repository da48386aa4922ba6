"""Serve a WSGI application on 127.0.0.1 from a background thread, as gunicorn would."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from socketserver import ThreadingMixIn
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, WSGIServer, make_server

from bot.slack.door import WsgiApp

# How often the server's loop looks for a shutdown request: stopping waits up to this long
# (serve_forever's default of 0.5 s would make every stop take half a second).
POLL_SECONDS = 0.01


class _ThreadingWSGIServer(ThreadingMixIn, WSGIServer):
    daemon_threads = True
    request_queue_size = 128  # a listen backlog for bursts of clicks, as gunicorn has


class _QuietHandler(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        """No access log: the caller reports what matters."""


@contextmanager
def serve_in_background(application: WsgiApp) -> Iterator[str]:
    """Serve `application` on an ephemeral port; yield its base URL; stop and close after."""
    server = make_server(
        "127.0.0.1",
        0,
        application,
        server_class=_ThreadingWSGIServer,
        handler_class=_QuietHandler,
    )
    thread = threading.Thread(
        target=server.serve_forever, args=(POLL_SECONDS,), name="psif-bot-http", daemon=True
    )
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
