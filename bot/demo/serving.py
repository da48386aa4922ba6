"""Serve an ASGI application on 127.0.0.1 from a background thread with uvicorn, starting and
stopping in milliseconds (tests start one each)."""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import uvicorn
from starlette.types import ASGIApp

START_SECONDS = 10.0
# How often stopping looks again for connections still finishing a response.
POLL_SECONDS = 0.005


class _BackgroundServer(uvicorn.Server):
    """uvicorn's server, stopped by an event instead of its ten checks a second, and without
    the fixed pauses of its shutdown (which would add a fifth of a second to every test)."""

    def __init__(self, config: uvicorn.Config) -> None:
        super().__init__(config)
        self.ready = threading.Event()
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None

    async def startup(self, sockets: list[socket.socket] | None = None) -> None:
        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        await super().startup(sockets=sockets)
        self.ready.set()

    async def main_loop(self) -> None:
        assert self._stop is not None  # set by startup
        await self._stop.wait()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        for server in self.servers:
            server.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()  # idle ones close now, busy ones after their response
        try:
            async with asyncio.timeout(self.config.timeout_graceful_shutdown):
                while self.server_state.connections:
                    await asyncio.sleep(POLL_SECONDS)
        except TimeoutError:
            for task in self.server_state.tasks:
                task.cancel()
        await self.lifespan.shutdown()

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)


@contextmanager
def serve_in_background(application: ASGIApp) -> Iterator[str]:
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    config = uvicorn.Config(
        application,
        log_config=None,  # leave the caller's logging as it is
        access_log=False,
        backlog=128,  # a listen backlog for bursts of clicks
        timeout_graceful_shutdown=5,
    )
    server = _BackgroundServer(config)
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="psif-bot-http", daemon=True
    )
    thread.start()
    try:
        if not server.ready.wait(START_SECONDS):
            raise RuntimeError("the server did not start")
        yield f"http://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        server.stop()
        thread.join(timeout=10)
        listener.close()
