"""The HTTP front uvicorn serves: Slack's events, /healthz, /metrics, the survey page and,
with OAuth, "Add to Slack". Bodies are read on the event loop (bounded in size and time), so
a stalling client holds no thread; only a complete body reaches Bolt's bounded pool.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator, Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import AbstractContextManager, asynccontextmanager, contextmanager, nullcontext
from typing import Any, TypeVar

from prometheus_client import CONTENT_TYPE_LATEST
from slack_bolt import App, BoltRequest, BoltResponse
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import ClientDisconnect, Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.app import create_app, make_deps
from bot.deps import Deps
from bot.metrics import metrics_page, observe_request
from bot.settings import Settings, load_settings
from bot.slack.installations import INSTALL_PATH, REDIRECT_PATH
from handlers.web.survey import survey_routes
from storage.db import database_answers

logger = logging.getLogger(__name__)

SLACK_PATH = "/slack/events"
# A modal's view is at most ~250 kB, and nothing else Slack sends comes near it.
MAX_BODY_BYTES = 1024 * 1024
# Slack gives up on an answer after 3 seconds, so a body slower than that is no use.
BODY_SECONDS = 3.0

T = TypeVar("T")


def _refuse(status: int, error: str) -> JSONResponse:
    """A refusal that also ends the connection."""
    return JSONResponse({"error": error}, status_code=status, headers={"connection": "close"})


async def _read_body(request: Request, seconds: float) -> bytes | Response:
    length = request.headers.get("content-length")
    if length is None or "transfer-encoding" in request.headers:
        return _refuse(411, "a Content-Length is required")
    if not (length.isascii() and length.isdigit()):
        return _refuse(400, "malformed Content-Length")
    if int(length) > MAX_BODY_BYTES:
        return _refuse(413, "too large")
    body = bytearray()
    try:
        async with asyncio.timeout(seconds):
            async for chunk in request.stream():
                body += chunk
    except TimeoutError:
        logger.info("dropped a request whose body did not arrive within %s s", seconds)
        return _refuse(408, "the body did not arrive in time")
    except ClientDisconnect:
        return _refuse(400, "the client went away")
    return bytes(body)


def create_asgi_app(
    app: App,
    deps: Deps,
    *,
    body_seconds: float = BODY_SECONDS,
    while_serving: Callable[[], AbstractContextManager[object]] = nullcontext,
) -> Starlette:
    """The ASGI application around `app`; its threads stop with `deps.close()`, and
    `while_serving()` spans the server's life."""
    pool = ThreadPoolExecutor(
        max_workers=deps.settings.listener_threads, thread_name_prefix="psif-request"
    )
    deps.closers.append(lambda: pool.shutdown(wait=True, cancel_futures=True))

    async def in_pool(work: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(pool, work, *args)

    async def slack_events(request: Request) -> Response:
        body = await _read_body(request, body_seconds)
        if isinstance(body, Response):
            return body
        started = time.perf_counter()
        try:
            bolt_request = to_bolt_request(request, body)
        except Exception:  # whatever a malformed body provokes in Bolt's parser
            logger.info("refused an unreadable request")
            return _refuse(400, "unreadable request")
        answer = await in_pool(app.dispatch, bolt_request)
        observe_request(bolt_request.body, answer.status, time.perf_counter() - started)
        return to_starlette_response(answer)

    async def healthz(_request: Request) -> Response:
        if await in_pool(database_answers, deps.engine):
            return JSONResponse({"status": "ok", "database": "ok"})
        return JSONResponse({"status": "unavailable", "database": "not answering"}, status_code=503)

    async def metrics(_request: Request) -> Response:
        page = await in_pool(metrics_page, deps)
        return Response(page, media_type=CONTENT_TYPE_LATEST)

    routes = [
        Route(SLACK_PATH, slack_events, methods=["POST"]),
        Route("/healthz", healthz, methods=["GET", "HEAD"]),
        Route("/metrics", metrics, methods=["GET"]),
        *survey_routes(deps, in_pool),
    ]
    flow = app.oauth_flow
    if flow is not None:  # Bolt's install flow, which checks its own state parameter

        def page(handle: Callable[[BoltRequest], BoltResponse]) -> Callable[..., Any]:
            async def endpoint(request: Request) -> Response:
                answer = await in_pool(handle, to_bolt_request(request, b""))
                return to_starlette_response(answer)

            return endpoint

        routes += [
            Route(INSTALL_PATH, page(flow.handle_installation), methods=["GET", "HEAD"]),
            Route(REDIRECT_PATH, page(flow.handle_callback), methods=["GET", "HEAD"]),
        ]

    async def not_found(_request: Request, _error: Exception) -> Response:
        return JSONResponse({"error": "not found"}, status_code=404)

    @asynccontextmanager
    async def lifespan(_app: Starlette) -> AsyncIterator[None]:
        with while_serving():
            yield

    return Starlette(
        routes=routes, exception_handlers={HTTPException: not_found}, lifespan=lifespan
    )


def web_process(settings: Settings, deps: Deps) -> Starlette:
    """One `psif-bot serve` process: it checks, writes and answers; `psif-bot worker` delivers
    what it owes Slack, so a burst of clicks never waits behind Slack calls."""

    @contextmanager
    def serving() -> Iterator[None]:
        try:
            yield
        finally:
            deps.close()

    return create_asgi_app(create_app(settings, deps), deps, while_serving=serving)


def app_from_environment() -> Starlette:
    """uvicorn's factory for `psif-bot serve`, in each web process."""
    settings = load_settings()
    return web_process(settings, make_deps(settings))
