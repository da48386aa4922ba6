"""One scheduler pass: record every nudge due now, once (a unique row per review, rule, day
and recipient), then claim batches, owing their posts to the outbox and marking them in the
same transaction. Only installed reviews in their civil hours are planned; planning costs a
fixed number of queries whatever the number of reviews.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.core.nudges import (
    LOOKBACK_DAYS,
    OpenReview,
    PlannedNudge,
    SkipReason,
    is_civil_hour,
    next_civil_moment,
    rule_name,
    skip_reason,
)
from bot.reminders.service import RULES, DueNudge, NudgeRule, owe_nudges, plan_nudges
from bot.slack.installations import ClientFor
from storage.db import SessionFactory, transaction
from storage.models.reminders import Nudge, NudgeStatus
from storage.repositories import reminders as records
from storage.repositories.reviews import load_open_reviews

logger = logging.getLogger(__name__)

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
    reviews: dict[int, OpenReview]  # ready now: installed and in civil hours
    open_zones: dict[int, ZoneInfo]  # every open review, ready now or not
    muted: dict[int, frozenset[str]]
    unreachable: set[int]
    snoozes: dict[str, date] = field(default_factory=dict)


def run_pass(
    sessions: SessionFactory,
    client: WebClient | ClientFor,
    now: datetime,
    *,
    default_zone: ZoneInfo,
    respondent_secret: bytes,
    rules: Sequence[NudgeRule] | None = None,
) -> PassReport:
    """Hand every nudge due at `now` to the outbox, exactly once; `client` (or a workspace's,
    None if uninstalled) only says whether the bot is installed."""
    rules = RULES if rules is None else rules
    clients = (lambda _team_id: client) if isinstance(client, WebClient) else client
    report = PassReport()
    with transaction(sessions) as session:
        every_open = load_open_reviews(session=session, default_zone=default_zone)
    # Outside the transactions (the installation store has its own connections); reviews
    # of a workspace that uninstalled the bot are left out, as if closed.
    installed = {
        team_id: clients(team_id) is not None for team_id in {r.team_id for r in every_open}
    }
    every_open = [review for review in every_open if installed[review.team_id]]
    with transaction(sessions) as session:
        state = _record_due(session, every_open, now, rules, report, respondent_secret)
    zones = sorted({review.zone.key for review in state.reviews.values()})
    while zones:
        with transaction(sessions) as session:
            claimed = records.claim_due(session=session, now=now, zones=zones, limit=CLAIM_BATCH)
            _hand_over(session, claimed, state, now, rules, report, respondent_secret)
        if len(claimed) < CLAIM_BATCH:
            break
    if report.recorded or report.sent or report.failed:
        logger.info("scheduler pass: %s", report)
    return report


def _record_due(
    session: Session,
    every_open: list[OpenReview],
    now: datetime,
    rules: Sequence[NudgeRule],
    report: PassReport,
    respondent_secret: bytes,
) -> _PassState:
    civil = {zone: is_civil_hour(now, zone) for zone in {review.zone for review in every_open}}
    ready = [review for review in every_open if civil[review.zone]]
    state = _PassState(
        reviews={review.id: review for review in ready},
        open_zones={review.id: review.zone for review in every_open},
        muted=records.muted_rules(session=session),
        unreachable=set(records.unreachable_channels(session=session)),
    )
    if not ready:
        return state
    today = {zone: now.astimezone(zone).date() for zone in civil}
    earliest = min(today.values()) - timedelta(days=LOOKBACK_DAYS)
    state.snoozes = records.snoozes_running(session=session, today=earliest)
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
    known = records.nudge_statuses(session=session, since=earliest)
    rows = []
    for nudge in planned:
        if nudge.key not in known:
            reason = _skip(nudge, state, today[state.reviews[nudge.review_id].zone])
            rows.append((nudge, reason))
            if reason:
                report.count_skip(reason)
    zones = {review.id: review.zone.key for review in ready}
    records.record_nudges(session=session, nudges=rows, zones=zones, now=now)
    report.recorded = len(rows)
    return state


def _hand_over(
    session: Session,
    claimed: list[Nudge],
    state: _PassState,
    now: datetime,
    rules: Sequence[NudgeRule],
    report: PassReport,
    respondent_secret: bytes,
) -> None:
    """Owe a claimed batch to the outbox (or skip it), in the claim transaction."""
    names = {rule.name for rule in rules}
    skipped: dict[str, list[int]] = defaultdict(list)
    due: list[DueNudge] = []
    for nudge in claimed:
        review = state.reviews.get(nudge.review_id)
        current_zone = state.open_zones.get(nudge.review_id)
        if review is None and current_zone is not None:
            # The review's time zone changed since: wait for its civil hour there.
            records.mark(
                session=session,
                nudge_ids=[nudge.id],
                status=NudgeStatus.PENDING,
                error="outside_civil_hours",
                not_before=next_civil_moment(now, current_zone),
                zone=current_zone.key,
            )
        elif review is None:
            skipped[SkipReason.REVIEW_CLOSED].append(nudge.id)
        elif rule_name(nudge.rule) not in names:
            skipped[SkipReason.NO_LONGER_APPLIES].append(nudge.id)
        elif reason := _skip(nudge, state, now.astimezone(review.zone).date()):
            skipped[reason].append(nudge.id)
        else:
            due.append(DueNudge(review, nudge, now.astimezone(review.zone).date()))
    handed = owe_nudges(session, due, rules=rules, respondent_secret=respondent_secret)
    skipped[SkipReason.NO_LONGER_APPLIES] += handed.no_longer_apply
    records.mark(
        session=session,
        nudge_ids=handed.owed,
        status=NudgeStatus.SENT,
        sent_at=now,
        attempts=Nudge.attempts + 1,
        error=None,
    )
    for why, nudge_ids in skipped.items():
        if not nudge_ids:
            continue
        records.mark(session=session, nudge_ids=nudge_ids, status=NudgeStatus.SKIPPED, error=why)
        report.count_skip(why, len(nudge_ids))
    records.mark(
        session=session, nudge_ids=handed.failed, status=NudgeStatus.FAILED, error="render_failed"
    )
    report.sent += len(handed.owed)
    report.posts += handed.posts
    report.failed += len(handed.failed)


def _skip(nudge: PlannedNudge | Nudge, state: _PassState, today: date) -> SkipReason | None:
    return skip_reason(
        rule=nudge.rule,
        recipient=nudge.recipient,
        useful_until=nudge.useful_until,
        today=today,
        muted=state.muted.get(nudge.review_id, frozenset()),
        channel_unreachable=nudge.review_id in state.unreachable,
        paused_through=state.snoozes.get(nudge.recipient),
    )
