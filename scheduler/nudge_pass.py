"""One scheduler pass: record what is owed (`scheduler/recording.py`), then hand it to the
outbox in batches (`scheduler/handover.py`).

Exactly once: a nudge's row (unique key review, rule, day, recipient) is written before
anything is sent. A pass claims a batch of due rows (`FOR UPDATE SKIP LOCKED` on PostgreSQL;
SQLite serialises writers), renders them, and in the same transaction owes their posts to
the outbox and marks them sent (or skipped). A pass that dies commits neither; two passes
never claim one row. The outbox worker then posts each item once, waiting out Retry-After
and backing off on 5xx and timeouts (bot/reminders/delivery.py).

Quiet channels: a review's channel nudges of one pass go out as one morning post with a
part per topic (bot/reminders/morning.py); direct messages go one by one.

Cost: planning is a fixed number of queries whatever the number of reviews; handing over a
batch of up to CLAIM_BATCH nudges costs a handful of statements (claim, one savepoint, the
outbox rows in one flush, status updates) plus whatever the rules' renders query.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_sdk import WebClient

from bot.reminders.rules import NudgeRule, all_rules
from bot.slack.installations import ClientFor
from scheduler.handover import hand_over
from scheduler.pass_report import PassReport
from scheduler.recording import record_due
from storage.db import SessionFactory, transaction
from storage.repositories import nudges as ledger
from storage.repositories.reviews import load_open_reviews

logger = logging.getLogger(__name__)

CLAIM_BATCH = 500  # nudges claimed, rendered and handed over per transaction


def run_pass(
    sessions: SessionFactory,
    client: WebClient | ClientFor,
    now: datetime,
    *,
    default_zone: ZoneInfo,
    respondent_secret: bytes,
    rules: Sequence[NudgeRule] | None = None,
) -> PassReport:
    """Hand every nudge that is due at `now` (aware) to the outbox, exactly once.

    `client` is the one bot's client, or gives the client of a review's hosting workspace
    (None when the bot is no longer installed there: that review's nudges stop). The pass
    only asks it whether the bot is installed; the outbox worker posts with its own."""
    rules = all_rules() if rules is None else rules
    clients = _one_client(client) if isinstance(client, WebClient) else client
    report = PassReport()
    # Tokens are looked up outside the pass's transactions (the installation store has its
    # own connections, and SQLite allows one writer).
    with transaction(sessions) as session:
        teams = {
            review.team_id
            for review in load_open_reviews(session=session, default_zone=default_zone)
        }
    installed = {team_id: clients(team_id) is not None for team_id in teams}
    with transaction(sessions) as session:
        state = record_due(session, now, default_zone, rules, report, respondent_secret, installed)
    zones = sorted({review.zone.key for review in state.reviews.values()})
    while zones:
        with transaction(sessions) as session:
            claimed = ledger.claim_due(session=session, now=now, zones=zones, limit=CLAIM_BATCH)
            hand_over(session, claimed, state, now, rules, report)
        if len(claimed) < CLAIM_BATCH:
            break
    if report.recorded or report.sent or report.failed:
        logger.info("scheduler pass: %s", report)
    return report


def _one_client(client: WebClient) -> ClientFor:
    return lambda _team_id: client
