"""The replay check (`before_authorize`, right after Bolt verifies the signature's age): a
replayed signature is refused (acknowledged if Slack marks it a retry), a redelivered event
acknowledged without running again. Signatures and event ids are kept as keyed hashes with a
day's expiry, so nothing stored dates a request more finely than its day.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

from slack_bolt import BoltContext, BoltRequest, BoltResponse
from slack_bolt.middleware import Middleware
from sqlalchemy.exc import SQLAlchemyError

from storage.db import SessionFactory, transaction
from storage.repositories.requests import forget_expired, remember

logger = logging.getLogger(__name__)

# Longer than a signature passes verification and Slack retries an event (~5 minutes).
KEEP_AT_LEAST = timedelta(hours=1)
_LET_IN = "psif_let_in"


def was_let_in(context: BoltContext) -> bool:
    """Only a request that passed verification and the replay check may be acted on."""
    return _LET_IN in context


def seconds_since_let_in(context: BoltContext) -> float:
    let_in: float | None = context.get(_LET_IN)
    return float("inf") if let_in is None else time.monotonic() - let_in


class ReplayCheck(Middleware):
    def __init__(
        self,
        *,
        signing_secret: str,
        sessions: SessionFactory,
        wall_clock: Callable[[], float] = time.time,
    ) -> None:
        self._secret = signing_secret.encode()
        self._sessions = sessions
        # Bolt checks a signature's age against the system clock, so this keeps the same one.
        self._wall_clock = wall_clock
        self._purged_on: date | None = None

    def process(
        self, *, req: BoltRequest, resp: BoltResponse, next: Callable[[], BoltResponse]
    ) -> BoltResponse | None:
        # Over Socket Mode a request comes unsigned through Slack's own connection.
        signature = req.headers.get("x-slack-signature", [""])[0]
        body = req.body
        event_id = body.get("event_id") if body.get("type") == "event_callback" else None
        try:
            new_request, new_event = self._first_sighting(signature, event_id)
        except SQLAlchemyError:
            logger.exception("could not check a request for replay; refusing it")
            return BoltResponse(status=503, body={"error": "try again"})
        retry = bool(req.headers.get("x-slack-retry-num", [""])[0])
        if not new_request and not retry:
            logger.info("refused a replayed request")
            return BoltResponse(status=401, body={"error": "request already handled"})
        if not (new_request and new_event):
            logger.info("acknowledged a redelivery without running it again (%s)", event_id or "")
            return BoltResponse(status=200, body="")
        req.context[_LET_IN] = time.monotonic()
        return next()

    def _first_sighting(self, signature: str, event_id: str | None) -> tuple[bool, bool]:
        """(signature new, event new), recording both; a missing one counts as new."""
        now = self._wall_clock()
        today = datetime.fromtimestamp(now, UTC).date()
        expires_on = datetime.fromtimestamp(now + KEEP_AT_LEAST.total_seconds(), UTC).date()
        with transaction(self._sessions) as session:
            if self._purged_on != today:  # each process clears out past days once a day
                forget_expired(session=session, today=today)
                self._purged_on = today
            new_request = not signature or remember(
                session=session, key=self._key("signature", signature), expires_on=expires_on
            )
            new_event = not (new_request and event_id) or remember(
                session=session, key=self._key("event", event_id), expires_on=expires_on
            )
        return new_request, new_event

    def _key(self, kind: str, value: str) -> str:
        return hmac.new(self._secret, f"{kind}:{value}".encode(), hashlib.sha256).hexdigest()
