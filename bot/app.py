"""The app factory: builds the Bolt app and the WSGI application around it."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from slack_bolt import App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.deps import Clock, Deps, system_clock
from bot.self_assessment.rules import installed_checklists
from bot.settings import Settings
from handlers import register_handlers
from storage.db import database_answers, make_engine, make_session_factory

logger = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]


def make_web_client(settings: Settings) -> WebClient:
    """A Web API client pointed at settings.slack_api_url, retrying what Slack asks us to."""
    return WebClient(
        token=settings.slack_bot_token.get_secret_value(),
        base_url=settings.slack_api_url,
        timeout=15,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            # Sleeps for Retry-After; listeners ack before calling Slack, so this never
            # delays an acknowledgement.
            RateLimitErrorRetryHandler(max_retry_count=2),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )


def make_deps(settings: Settings, clock: Clock = system_clock) -> Deps:
    """Everything listeners need; raises ChecklistError if a checklist file is broken."""
    checklists = installed_checklists(settings.checklist_paths)
    engine = make_engine(settings.database_url)
    return Deps(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        clock=clock,
        checklist_names={key: checklist.name for key, checklist in checklists.items()},
        checklists=checklists,
    )


def create_app(settings: Settings, deps: Deps | None = None) -> App:
    """A Bolt app with every listener registered. Nothing connects until a request arrives."""
    deps = deps or make_deps(settings)
    app = App(
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        client=make_web_client(settings),
        token_verification_enabled=False,
        listener_executor=ThreadPoolExecutor(
            max_workers=settings.listener_threads, thread_name_prefix="psif-listener"
        ),
        name="psif-bot",
    )
    register_handlers(app, deps)
    return app


def create_wsgi_app(app: App, deps: Deps) -> WsgiApp:
    """WSGI: POST /slack/events to Bolt, GET /healthz reports whether the database answers."""
    slack = SlackRequestHandler(app, path="/slack/events")

    def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        if environ.get("PATH_INFO") == "/healthz" and environ.get("REQUEST_METHOD") in (
            "GET",
            "HEAD",
        ):
            healthy = database_answers(deps.engine)
            body = json.dumps(
                {
                    "status": "ok" if healthy else "unavailable",
                    "database": "ok" if healthy else "not answering",
                }
            ).encode()
            start_response(
                "200 OK" if healthy else "503 Service Unavailable",
                [("Content-Type", "application/json"), ("Content-Length", str(len(body)))],
            )
            return [body]
        return slack(environ, start_response)

    return application
