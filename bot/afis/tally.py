"""Keeps each vote's channel message in step with the database, coalescing chat.update.

Clicks commit their vote, then call `tally_refresher(deps).request(round_id)`. The refresher
re-reads the round and updates only the pages whose content changed, at most once per
`PSIF_AFI_TALLY_INTERVAL` per round (so per message). It uses its own Web API client without
the rate-limit retry handler: on HTTP 429 it does not sleep on a thread but schedules the
next attempt after Retry-After, and clicks during the wait fold into that one update.
"""

from __future__ import annotations

import json
import logging
import threading
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import ConnectionErrorRetryHandler

from bot.afis.coalescer import Coalescer
from bot.afis.vote_views import build_vote_pages
from bot.deps import Deps
from bot.slack.blocks import section
from bot.slack.calls import post_to_channel, slack_error
from storage.db import transaction
from storage.repositories.afi_votes import (
    ballot,
    get_round,
    record_vote_message,
    vote_messages,
)

logger = logging.getLogger(__name__)

HELPER_KEY = "afi_tally_refresher"
DEFAULT_RETRY_AFTER = 1.0
# A failure that may pass (Slack's 5xx, a dropped connection, a busy database) is retried,
# so the message still ends with the exact totals; a few times, then the next change retries.
TRANSIENT_RETRY_SECONDS = 2.0
PUBLISH_FAILED = "publish_failed"  # `publish`'s error when Slack or the database failed
TRANSIENT_RETRIES = 5
TRANSIENT_ERRORS = frozenset(
    {"internal_error", "fatal_error", "service_unavailable", "request_timeout"}
)
_creation_lock = threading.Lock()


@dataclass(frozen=True)
class _SyncResult:
    retry_after: float | None = None  # Slack asked us to slow down, or a transient failure
    post_error: str | None = None  # a page could not be posted (channel out of reach)
    transient: bool = False  # retry_after is for a failure that may pass, not a rate limit


class TallyRefresher:
    def __init__(self, deps: Deps, client: WebClient) -> None:
        self.deps = deps
        self.client = client
        self._sent: dict[tuple[str, str], str] = {}  # (channel, ts) → last blocks sent
        self._locks: dict[int, threading.Lock] = {}
        self._locks_guard = threading.Lock()
        self._failures: dict[int, int] = {}  # round → transient failures in a row
        self._coalescer: Coalescer[int] = Coalescer(
            self._refresh, interval=deps.settings.afi_tally_interval_seconds
        )

    def request(self, round_id: int) -> None:
        """The round's votes or AFIs changed; its message will catch up shortly."""
        self._coalescer.request(round_id)

    def publish(self, round_id: int) -> str | None:
        """Post a newly opened round's voting message now; Slack's error if it could not."""
        with self._lock(round_id):
            try:
                result = self._sync(round_id)
            except Exception:
                logger.exception("could not post the voting message of round %s", round_id)
                return PUBLISH_FAILED
        if result.retry_after is not None:
            self.request(round_id)  # rate-limited: the coalescer posts it after Retry-After
        return result.post_error

    def _lock(self, round_id: int) -> threading.Lock:
        # One sync per round at a time, so opening and a first click never both post a page.
        with self._locks_guard:
            return self._locks.setdefault(round_id, threading.Lock())

    def _refresh(self, round_id: int) -> float | None:
        with self._lock(round_id):
            try:
                result = self._sync(round_id)
            except Exception:
                logger.exception("refresh of vote round %s failed", round_id)
                result = _SyncResult(retry_after=TRANSIENT_RETRY_SECONDS, transient=True)
        if not result.transient:
            self._failures.pop(round_id, None)
            return result.retry_after
        failures = self._failures[round_id] = self._failures.get(round_id, 0) + 1
        if failures > TRANSIENT_RETRIES:
            logger.error("giving up refreshing vote round %s until it changes again", round_id)
            self._failures.pop(round_id, None)
            return None
        return result.retry_after

    def _sync(self, round_id: int) -> _SyncResult:
        """Bring every page of the round's message in line with the database."""
        with transaction(self.deps.sessions) as session:
            vote_round = get_round(session=session, round_id=round_id)
            if vote_round is None:
                return _SyncResult()
            info, items = ballot(session=session, vote_round=vote_round)
            stored = vote_messages(session=session, round_id=round_id)
            messages = [(message.channel_id, message.ts) for message in stored]
            channel_id = vote_round.channel_id
        pages = build_vote_pages(info, items)
        for page, (text, blocks) in enumerate(pages, start=1):
            if page > len(messages):
                posted = self._post_page(round_id, page, channel_id, text, blocks)
                if posted != _SyncResult():
                    return posted
                continue
            pending = self._update(messages[page - 1], text, blocks)
            if pending is not None:
                return pending
        for extra in messages[len(pages) :]:
            # Fewer AFIs than pages now (some merged or withdrawn): empty the spare pages.
            empty = [section("_No areas for improvement on this part of the ballot._")]
            pending = self._update(extra, "Nothing more to vote on here.", empty)
            if pending is not None:
                return pending
        return _SyncResult()

    def _update(
        self, message: tuple[str, str], text: str, blocks: list[dict[str, Any]]
    ) -> _SyncResult | None:
        """None once the page is up to date (or can never be updated), else when to retry."""
        rendered = json.dumps(blocks, sort_keys=True)
        if self._sent.get(message) == rendered:
            return None
        channel, ts = message
        try:
            self.client.chat_update(channel=channel, ts=ts, text=text, blocks=blocks)
        except SlackApiError as error:
            retry_after = _retry_after(error)
            if retry_after is not None:
                return _SyncResult(retry_after=retry_after)
            if error.response.status_code >= 500 or slack_error(error) in TRANSIENT_ERRORS:
                logger.warning("vote message %s/%s: %s; retrying", channel, ts, slack_error(error))
                return _SyncResult(retry_after=TRANSIENT_RETRY_SECONDS, transient=True)
            # The message was deleted or the channel archived: nothing more to keep up to date.
            logger.warning("cannot update vote message %s/%s: %s", channel, ts, slack_error(error))
        self._sent[message] = rendered
        return None

    def _post_page(
        self, round_id: int, page: int, channel_id: str, text: str, blocks: list[dict[str, Any]]
    ) -> _SyncResult:
        try:
            ts, error = post_to_channel(self.client, channel=channel_id, text=text, blocks=blocks)
        except SlackApiError as failure:
            retry_after = _retry_after(failure)
            if retry_after is None:
                raise
            return _SyncResult(retry_after=retry_after)
        if ts is None:
            logger.warning("cannot post vote page %s in %s: %s", page, channel_id, error)
            return _SyncResult(post_error=error or "unknown_error")
        with transaction(self.deps.sessions) as session:
            record_vote_message(
                session=session, round_id=round_id, page=page, channel_id=channel_id, ts=ts
            )
        self._sent[(channel_id, ts)] = json.dumps(blocks, sort_keys=True)
        return _SyncResult()


def _retry_after(error: SlackApiError) -> float | None:
    """Seconds Slack asked us to wait (HTTP 429), or None for any other failure."""
    if error.response.status_code != 429:
        return None
    headers = {name.lower(): value for name, value in error.response.headers.items()}
    retry_after = float(headers.get("retry-after", DEFAULT_RETRY_AFTER))
    logger.info("rate-limited by Slack; retrying in %ss", retry_after)
    return retry_after


def tally_refresher(deps: Deps) -> TallyRefresher:
    """The process's one refresher for these deps, created on first use."""
    with _creation_lock:
        found = deps.process_helpers.get(HELPER_KEY)
        if not isinstance(found, TallyRefresher):
            settings = deps.settings
            client = WebClient(
                token=settings.slack_bot_token.get_secret_value(),
                base_url=settings.slack_api_url,
                timeout=15,
                retry_handlers=[ConnectionErrorRetryHandler(max_retry_count=1)],
            )
            found = TallyRefresher(deps, client)
            deps.process_helpers[HELPER_KEY] = found
        return found
