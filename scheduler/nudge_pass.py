"""One scheduler pass: record what is owed, then hand it to the outbox in batches.

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
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.reminders.delivery import NudgePost, owe_nudges
from bot.reminders.morning import build_morning_post
from bot.reminders.nudges import (
    CHANNEL,
    Message,
    OpenReview,
    PlannedNudge,
    SkipReason,
    is_civil_hour,
    local_now,
    next_civil_moment,
    skip_reason,
)
from bot.slack.installations import ClientFor
from scheduler.planning import plan_nudges
from scheduler.rendering import RENDER_FAILED, Standing, render_all
from scheduler.rules import NudgeRule, all_rules, rule_named
from storage.db import SessionFactory, transaction
from storage.models.reminders import NudgeStatus
from storage.repositories import nudges as ledger
from storage.repositories import reminders

logger = logging.getLogger(__name__)

LOOKBACK_DAYS = 7  # how far back a pass looks for nudges missed during downtime
CLAIM_BATCH = 500  # nudges claimed, rendered and handed over per transaction


@dataclass
class PassReport:
    recorded: int = 0
    sent: int = 0  # nudges handed to the outbox
    posts: int = 0  # messages owed to Slack for them (a morning post carries several)
    skipped: int = 0
    failed: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)

    def count_skip(self, reason: str, count: int = 1) -> None:
        self.skipped += count
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + count


@dataclass
class _PassState:
    reviews: dict[int, OpenReview]
    open_zones: dict[int, ZoneInfo]  # every open review, ready now or not
    muted: dict[int, frozenset[str]]
    unreachable: set[int]
    snoozes: dict[str, date]
    respondent_secret: bytes


@dataclass
class _Batch:
    """What became of a claimed batch, written in a few statements at its end."""

    sent: list[int] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)
    failed: list[int] = field(default_factory=list)

    def skip(self, nudge_id: int, reason: str) -> None:
        self.skipped.setdefault(reason, []).append(nudge_id)


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
            for review in ledger.load_open_reviews(session=session, default_zone=default_zone)
        }
    installed = {team_id: clients(team_id) is not None for team_id in teams}
    with transaction(sessions) as session:
        state = _record_due(session, now, default_zone, rules, report, respondent_secret, installed)
    zones = sorted({review.zone.key for review in state.reviews.values()})
    while zones:
        with transaction(sessions) as session:
            claimed = ledger.claim_due(session=session, now=now, zones=zones, limit=CLAIM_BATCH)
            _hand_over(session, claimed, state, now, rules, report)
        if len(claimed) < CLAIM_BATCH:
            break
    if report.recorded or report.sent or report.failed:
        logger.info("scheduler pass: %s", report)
    return report


def _one_client(client: WebClient) -> ClientFor:
    return lambda _team_id: client


def _record_due(
    session: Session,
    now: datetime,
    default_zone: ZoneInfo,
    rules: Sequence[NudgeRule],
    report: PassReport,
    respondent_secret: bytes,
    installed: dict[str, bool],
) -> _PassState:
    # A review's nudges go out only with its hosting workspace's token, never another's;
    # reviews of a workspace that uninstalled the bot are left out, as if closed (and one
    # opened since the tokens were looked up waits for the next pass).
    every_open = [
        review
        for review in ledger.load_open_reviews(session=session, default_zone=default_zone)
        if installed.get(review.team_id)
    ]
    civil = {zone: is_civil_hour(now, zone) for zone in {review.zone for review in every_open}}
    ready = [review for review in every_open if civil[review.zone]]
    state = _PassState(
        reviews={review.id: review for review in ready},
        open_zones={review.id: review.zone for review in every_open},
        muted=reminders.muted_rules_of_open_reviews(session=session),
        unreachable=reminders.unreachable_review_ids(session=session),
        snoozes={},
        respondent_secret=respondent_secret,
    )
    if not ready:
        return state
    today = {zone: local_now(now, zone).date() for zone in civil}
    earliest = min(today.values()) - timedelta(days=LOOKBACK_DAYS)
    state.snoozes = reminders.snoozes_running(session=session, today=earliest)
    planned = plan_nudges(
        session=session,
        reviews=ready,
        window=lambda review: (
            today[review.zone] - timedelta(days=LOOKBACK_DAYS),
            today[review.zone],
        ),
        now=now,
        rules=rules,
        respondent_secret=respondent_secret,
    )
    if not planned:
        return state
    known = ledger.recorded_keys(session=session, since=earliest)
    rows: list[tuple[PlannedNudge, str, str | None]] = []
    for nudge in planned:
        if nudge.key in known:
            continue
        reason = _skip(nudge, state, today[state.reviews[nudge.review_id].zone])
        rows.append((nudge, NudgeStatus.SKIPPED if reason else NudgeStatus.PENDING, reason))
        if reason:
            report.count_skip(reason)
    zones = {review.id: review.zone.key for review in ready}
    ledger.record_nudges(session=session, nudges=rows, zones=zones, now=now)
    report.recorded = len(rows)
    return state


def _skip(nudge: PlannedNudge, state: _PassState, today: date) -> SkipReason | None:
    return skip_reason(
        rule=nudge.rule,
        recipient=nudge.recipient,
        useful_until=nudge.useful_until,
        today=today,
        muted=state.muted.get(nudge.review_id, frozenset()),
        channel_unreachable=nudge.review_id in state.unreachable,
        paused_through=state.snoozes.get(nudge.recipient),
    )


def _hand_over(
    session: Session,
    claimed: list[ledger.ClaimedNudge],
    state: _PassState,
    now: datetime,
    rules: Sequence[NudgeRule],
    report: PassReport,
) -> None:
    """Render a claimed batch and owe its posts, in the claim transaction. The posts are
    owed after every render, so the outbox rows are written together in one flush."""
    batch = _Batch()
    standing: list[Standing] = []
    for nudge in claimed:
        review = state.reviews.get(nudge.review_id)
        current_zone = state.open_zones.get(nudge.review_id)
        if review is None and current_zone is not None:
            # The review's time zone changed since this was recorded: wait for its civil
            # hour there.
            ledger.retry_later(
                session=session,
                nudge_id=nudge.id,
                error="outside_civil_hours",
                not_before=next_civil_moment(now, current_zone),
                zone=current_zone.key,
            )
            continue
        rule = rule_named(rules, nudge.rule.split(".", 1)[0])
        if review is None or rule is None:
            gone = SkipReason.REVIEW_CLOSED if review is None else SkipReason.NO_LONGER_APPLIES
            batch.skip(nudge.id, gone)
            continue
        today = local_now(now, review.zone).date()
        reason = _skip_claimed(nudge, state, today)
        if reason is not None:
            batch.skip(nudge.id, reason)
        else:
            standing.append(Standing(review, nudge, rule, today))
    by_review: dict[int, list[tuple[Standing, Message]]] = {}
    for item, message in zip(
        standing,
        render_all(session, standing, respondent_secret=state.respondent_secret),
        strict=True,
    ):
        if message is RENDER_FAILED:
            batch.failed.append(item.nudge.id)
        elif message is None:
            batch.skip(item.nudge.id, SkipReason.NO_LONGER_APPLIES)
        else:
            by_review.setdefault(item.review.id, []).append((item, message))
    posts = [post for rendered in by_review.values() for post in _posts(rendered)]
    owe_nudges(session, posts)
    report.posts += len(posts)
    batch.sent.extend(item.nudge.id for rendered in by_review.values() for item, _ in rendered)
    ledger.mark_sent(session=session, nudge_ids=batch.sent, now=now)
    for why, nudge_ids in batch.skipped.items():
        ledger.mark_skipped(session=session, nudge_ids=nudge_ids, reason=why)
        report.count_skip(why, len(nudge_ids))
    ledger.mark_failed(session=session, nudge_ids=batch.failed, error="render_failed")
    report.sent += len(batch.sent)
    report.failed += len(batch.failed)


def _posts(rendered: list[tuple[Standing, Message]]) -> list[NudgePost]:
    """One review's posts: a direct message per nudge; its channel's nudges together as one
    morning post."""
    review = rendered[0][0].review
    posts = [
        NudgePost(review, item.nudge.recipient, message, [item.nudge.id])
        for item, message in rendered
        if item.nudge.recipient != CHANNEL
    ]
    for_channel = sorted(
        (pair for pair in rendered if pair[0].nudge.recipient == CHANNEL),
        key=lambda pair: (pair[0].rule.order, pair[0].rule.name, pair[0].nudge.id),
    )
    if for_channel:
        nudge_ids = [item.nudge.id for item, _message in for_channel]
        topics = [message for _item, message in for_channel]
        pages = build_morning_post(host_council=review.host_council, topics=topics)
        # Only in the rare post too big for one message are there more pages: the nudges'
        # ts is the first page's, where the post begins.
        for number, page in enumerate(pages):
            posts.append(NudgePost(review, CHANNEL, page, nudge_ids if number == 0 else []))
    return posts


def _skip_claimed(nudge: ledger.ClaimedNudge, state: _PassState, today: date) -> SkipReason | None:
    return skip_reason(
        rule=nudge.rule,
        recipient=nudge.recipient,
        useful_until=nudge.useful_until,
        today=today,
        muted=state.muted.get(nudge.review_id, frozenset()),
        channel_unreachable=nudge.review_id in state.unreachable,
        paused_through=state.snoozes.get(nudge.recipient),
    )
