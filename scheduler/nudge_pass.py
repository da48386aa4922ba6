"""One scheduler pass: record what is owed, then claim and send it, one nudge at a time.

Exactly once: a nudge's row (unique key review, rule, day, recipient) is written before
anything is sent; a pass claims one row at a time (pending → posting, atomically), posts,
then marks it sent with the message ts. A pass that dies between claiming and marking
leaves the row "posting": it may have reached Slack, so it is never resent (after
CLAIM_LEASE it is recorded as interrupted). Everything not yet claimed is sent by the next
pass. Two schedulers can run at once: recording ignores keys already written, and claiming
skips rows another pass holds.

Cost: planning is a fixed number of queries whatever the number of reviews; sending costs
two short transactions per nudge (claim + render, then the outcome).
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

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
from bot.reminders.views import build_channel_unreachable
from bot.slack.installations import ClientFor
from scheduler.delivery import AMBIGUOUS_ERRORS, Delivery, Outcome, find_posted, post
from scheduler.planning import plan_nudges
from scheduler.rules import NudgeRule, Rendering, StoredNudge, all_rules, rule_named
from storage.db import SessionFactory, transaction
from storage.models.reminders import NudgeStatus
from storage.repositories import nudges as ledger
from storage.repositories import reminders

logger = logging.getLogger(__name__)

LOOKBACK_DAYS = 7  # how far back a pass looks for nudges missed during downtime
MAX_ATTEMPTS = 6
RETRY_FIRST_WAIT = timedelta(minutes=5)
RETRY_LONGEST_WAIT = timedelta(hours=2)
CLAIM_LEASE = timedelta(minutes=15)


@dataclass
class PassReport:
    recorded: int = 0
    sent: int = 0
    skipped: int = 0
    failed: int = 0
    retrying: int = 0
    interrupted: int = 0
    skip_reasons: dict[str, int] = field(default_factory=dict)

    def count_skip(self, reason: str) -> None:
        self.skipped += 1
        self.skip_reasons[reason] = self.skip_reasons.get(reason, 0) + 1


def retry_wait(attempts: int) -> timedelta:
    """5 minutes, 10, 20 … at most 2 hours."""
    return min(RETRY_FIRST_WAIT * (1 << max(attempts - 1, 0)), RETRY_LONGEST_WAIT)


@dataclass
class _PassState:
    reviews: dict[int, OpenReview]
    open_zones: dict[int, ZoneInfo]  # every open review, ready now or not
    muted: dict[int, frozenset[str]]
    unreachable: set[int]
    snoozes: dict[str, date]
    respondent_secret: bytes
    clients: dict[int, WebClient]  # each ready review's hosting workspace


def run_pass(
    sessions: SessionFactory,
    client: WebClient | ClientFor,
    now: datetime,
    *,
    default_zone: ZoneInfo,
    respondent_secret: bytes,
    rules: Sequence[NudgeRule] | None = None,
) -> PassReport:
    """Send every nudge that is due at `now` (aware), exactly once.

    `client` is the one bot's client, or gives the client of a review's hosting workspace
    (None when the bot is no longer installed there: that review's nudges stop)."""
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
    installed = {team_id: clients(team_id) for team_id in teams}
    with transaction(sessions) as session:
        report.interrupted = ledger.mark_interrupted(
            session=session, claimed_before=now - CLAIM_LEASE
        )
        state = _record_due(session, now, default_zone, rules, report, respondent_secret, installed)
    zones = sorted({review.zone.key for review in state.reviews.values()})
    claimer = uuid.uuid4().hex
    while zones:
        with transaction(sessions) as session:
            claimed = ledger.claim_next(session=session, now=now, zones=zones, claimer=claimer)
            if claimed is None:
                break
            ready = _prepare(session, claimed, state, now, rules, report)
        if ready is not None:
            review, message = ready
            workspace = state.clients[review.id]
            delivery = _deliver(workspace, claimed, review, message)
            _finish(sessions, workspace, claimed, review, delivery, now, state, report)
    if report.recorded or report.sent or report.failed or report.retrying:
        logger.info("scheduler pass: %s", report)
    return report


def _one_client(client: WebClient) -> ClientFor:
    return lambda _team_id: client


def _deliver(
    client: WebClient, claimed: ledger.ClaimedNudge, review: OpenReview, message: Message
) -> Delivery:
    direct = claimed.recipient != CHANNEL
    target = claimed.recipient if direct else review.channel_id
    if claimed.last_error in AMBIGUOUS_ERRORS:
        ts = find_posted(client, target=target, direct=direct, nudge_id=claimed.id)
        if ts is not None:
            return Delivery(Outcome.SENT, ts=ts)
    return post(client, target=target, message=message, nudge_id=claimed.id)


def _record_due(
    session: Session,
    now: datetime,
    default_zone: ZoneInfo,
    rules: Sequence[NudgeRule],
    report: PassReport,
    respondent_secret: bytes,
    installed: dict[str, WebClient | None],
) -> _PassState:
    # A review's nudges go out only with its hosting workspace's token, never another's;
    # reviews of a workspace that uninstalled the bot are left out, as if closed (and one
    # opened since the tokens were looked up waits for the next pass).
    reachable: dict[int, WebClient] = {}
    every_open = []
    for review in ledger.load_open_reviews(session=session, default_zone=default_zone):
        found = installed.get(review.team_id)
        if found is not None:
            reachable[review.id] = found
            every_open.append(review)
    civil = {zone: is_civil_hour(now, zone) for zone in {review.zone for review in every_open}}
    ready = [review for review in every_open if civil[review.zone]]
    state = _PassState(
        reviews={review.id: review for review in ready},
        open_zones={review.id: review.zone for review in every_open},
        muted=reminders.muted_rules_of_open_reviews(session=session),
        unreachable=reminders.unreachable_review_ids(session=session),
        snoozes={},
        respondent_secret=respondent_secret,
        clients=reachable,
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


def _prepare(
    session: Session,
    claimed: ledger.ClaimedNudge,
    state: _PassState,
    now: datetime,
    rules: Sequence[NudgeRule],
    report: PassReport,
) -> tuple[OpenReview, Message] | None:
    """Check the claimed nudge still stands and build its message, in the claim transaction."""
    review = state.reviews.get(claimed.review_id)
    current_zone = state.open_zones.get(claimed.review_id)
    if review is None and current_zone is not None:
        # The review's time zone changed since it was recorded; wait for its civil hour there.
        ledger.retry_later(
            session=session,
            nudge_id=claimed.id,
            error="outside_civil_hours",
            not_before=next_civil_moment(now, current_zone),
            zone=current_zone.key,
        )
        return None
    rule = rule_named(rules, claimed.rule.split(".", 1)[0])
    if review is None or rule is None:
        gone = SkipReason.REVIEW_CLOSED if review is None else SkipReason.NO_LONGER_APPLIES
        ledger.mark_skipped(session=session, nudge_id=claimed.id, reason=gone)
        report.count_skip(gone)
        return None
    today = local_now(now, review.zone).date()
    reason = skip_reason(
        rule=claimed.rule,
        recipient=claimed.recipient,
        useful_until=claimed.useful_until,
        today=today,
        muted=state.muted.get(review.id, frozenset()),
        channel_unreachable=review.id in state.unreachable,
        paused_through=state.snoozes.get(claimed.recipient),
    )
    stored = StoredNudge(
        id=claimed.id,
        review_id=claimed.review_id,
        rule=claimed.rule,
        day=claimed.day,
        recipient=claimed.recipient,
        payload=claimed.payload,
    )
    message = None
    if reason is None:
        try:
            with session.begin_nested():
                message = rule.render(
                    Rendering(
                        session=session,
                        review=review,
                        nudge=stored,
                        today=today,
                        respondent_secret=state.respondent_secret,
                    )
                )
        except Exception:  # a bug in one rule must not block every nudge queued behind it
            logger.exception("nudge rule %r failed to render nudge %s", rule.name, claimed.id)
            ledger.mark_failed(session=session, nudge_id=claimed.id, error="render_failed")
            report.failed += 1
            return None
    if message is None:
        reason = reason or SkipReason.NO_LONGER_APPLIES
        ledger.mark_skipped(session=session, nudge_id=claimed.id, reason=reason)
        report.count_skip(reason)
        return None
    return review, message


def _finish(
    sessions: SessionFactory,
    client: WebClient,
    claimed: ledger.ClaimedNudge,
    review: OpenReview,
    delivery: Delivery,
    now: datetime,
    state: _PassState,
    report: PassReport,
) -> None:
    tell_leads: list[str] = []
    with transaction(sessions) as session:
        if delivery.outcome is Outcome.SENT:
            assert delivery.ts is not None
            ledger.mark_sent(session=session, nudge_id=claimed.id, ts=delivery.ts, now=now)
            report.sent += 1
        elif delivery.outcome is Outcome.RETRY and claimed.attempts < MAX_ATTEMPTS:
            ledger.retry_later(
                session=session,
                nudge_id=claimed.id,
                error=delivery.error or "retry",
                not_before=now + retry_wait(claimed.attempts),
            )
            report.retrying += 1
        else:
            ledger.mark_failed(session=session, nudge_id=claimed.id, error=delivery.error or "")
            report.failed += 1
        if delivery.outcome is Outcome.CHANNEL_UNREACHABLE and claimed.recipient == CHANNEL:
            state.unreachable.add(review.id)
            error = delivery.error or "channel_not_found"
            ledger.skip_pending_channel_nudges(
                session=session, review_id=review.id, reason=SkipReason.CHANNEL_UNREACHABLE
            )
            if reminders.mark_channel_unreachable(
                session=session, review_id=review.id, error=error, now=now
            ):
                tell_leads = reminders.leads_to_tell(session=session, review_id=review.id)
    for lead in tell_leads:
        message = build_channel_unreachable(
            channel_id=review.channel_id,
            host_council=review.host_council,
            error=delivery.error or "channel_not_found",
        )
        post(client, target=lead, message=message)
