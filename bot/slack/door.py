"""The door: every HTTP request for Slack's endpoint is checked here before Bolt sees it.

A request that is not Slack's (missing, malformed, stale or wrong signature) or that was
let in before (a replay of the same signature) is answered at once, with nothing parsed,
nothing run, nothing written and nothing sent. The only other requests let through are GETs
of the pages named (the "Add to Slack" page and its OAuth redirect, which Bolt checks with
its own state parameter); anything else is not found.
"""

from __future__ import annotations

import io
import json
import logging
import time
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from bot.slack.signing import MAX_AGE_SECONDS, Verdict, request_time, signature_digest, verify
from storage.db import SessionFactory, transaction
from storage.repositories.seen_requests import forget_expired_signatures, remember_signature

logger = logging.getLogger(__name__)

WsgiApp = Callable[[dict[str, Any], Callable[..., Any]], Iterable[bytes]]

# A modal's view is at most ~250 kB; nothing Slack sends us comes near this.
MAX_BODY_BYTES = 1024 * 1024
# Kept a little longer than the door's age limit, so clock skew can't reopen a window.
REMEMBER_SECONDS = MAX_AGE_SECONDS + 60
# Expired signatures are harmless (their requests are refused as stale anyway), so each
# process clears them out at most this often rather than on every request.
PURGE_EVERY_SECONDS = 60.0


def _reply(
    start_response: Callable[..., Any], status: str, body: dict[str, str] | None
) -> list[bytes]:
    data = json.dumps(body).encode() if body else b""
    start_response(
        status, [("Content-Type", "application/json"), ("Content-Length", str(len(data)))]
    )
    return [data]


def _content_length(environ: dict[str, Any]) -> int | None:
    raw = str(environ.get("CONTENT_LENGTH") or "0")
    return int(raw) if raw.isascii() and raw.isdigit() else None


class SlackDoor:
    """WSGI middleware in front of Bolt's request handler for `path`."""

    def __init__(
        self,
        inner: WsgiApp,
        *,
        signing_secret: str,
        sessions: SessionFactory,
        path: str = "/slack/events",
        pages: tuple[str, ...] = (),
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self.inner = inner
        self.pages = frozenset(pages)
        self.secret = signing_secret
        self.sessions = sessions
        self.path = path
        self.wall_clock = wall_clock
        self._next_purge = 0.0  # the first request a process lets in purges

    def __call__(
        self, environ: dict[str, Any], start_response: Callable[..., Any]
    ) -> Iterable[bytes]:
        path, method = environ.get("PATH_INFO"), environ.get("REQUEST_METHOD")
        if path in self.pages and method in ("GET", "HEAD"):
            return self.inner(environ, start_response)
        if path != self.path or method != "POST":
            return _reply(start_response, "404 Not Found", {"error": "not found"})
        length = _content_length(environ)
        if length is None or length > MAX_BODY_BYTES:
            return _reply(start_response, "413 Content Too Large", {"error": "too large"})
        body: bytes = environ["wsgi.input"].read(length) if length else b""
        timestamp = environ.get("HTTP_X_SLACK_REQUEST_TIMESTAMP")
        signature = environ.get("HTTP_X_SLACK_SIGNATURE")
        verdict = verify(
            self.secret, timestamp=timestamp, signature=signature, body=body, now=self.wall_clock()
        )
        if verdict is not Verdict.OK:
            logger.info("refused a request at the door: %s", verdict.value)
            return _reply(start_response, "401 Unauthorized", {"error": "invalid request"})
        assert timestamp is not None and signature is not None  # verified
        try:
            first_time = self._first_sighting(signature, timestamp)
        except SQLAlchemyError:
            logger.exception("could not check a request for replay; refusing it")
            return _reply(start_response, "503 Service Unavailable", {"error": "try again"})
        if not first_time:
            if environ.get("HTTP_X_SLACK_RETRY_NUM"):
                # Slack redelivering what was already let in: acknowledge, don't run it twice.
                return _reply(start_response, "200 OK", None)
            logger.info("refused a replayed request at the door")
            return _reply(start_response, "401 Unauthorized", {"error": "request already handled"})
        inside = {**environ, "wsgi.input": io.BytesIO(body), "CONTENT_LENGTH": str(len(body))}
        try:
            return self.inner(inside, start_response)
        except Exception:  # Bolt could not even read the signed body: nothing has run
            logger.exception("a signed request could not be read")
            return _reply(start_response, "400 Bad Request", {"error": "unreadable request"})

    def _first_sighting(self, signature: str, timestamp: str) -> bool:
        """Record the signature; False if some worker process let it in before."""
        digest, sent_at = signature_digest(signature), request_time(timestamp)
        assert digest is not None and sent_at is not None  # verified
        clock = self.wall_clock()
        purge = clock >= self._next_purge
        if purge:
            self._next_purge = clock + PURGE_EVERY_SECONDS
        with transaction(self.sessions) as session:
            if purge:
                forget_expired_signatures(session=session, now=datetime.fromtimestamp(clock, UTC))
            return remember_signature(
                session=session,
                signature=digest,
                expires_at=datetime.fromtimestamp(sent_at + REMEMBER_SECONDS, UTC),
            )
