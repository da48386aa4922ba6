"""The second half of a scheduler pass: hand a claimed batch of nudges to the outbox.

In the claim transaction, each nudge is rendered (or skipped if it no longer applies, or
left for later if its review moved time zone), its posts are owed to the outbox together,
and the ledger is marked in a few statements. A review's channel nudges go out as one
morning post with a part per topic; direct messages go one by one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.core.nudges import CHANNEL, SkipReason, local_now, next_civil_moment, skip_reason
from bot.reminders.delivery import NudgePost, owe_nudges
from bot.reminders.morning import build_morning_post
from bot.reminders.rules import NudgeRule, rule_named
from bot.slack.blocks import Message
from scheduler.pass_report import PassReport
from scheduler.recording import PassState
from scheduler.rendering import RENDER_FAILED, Standing, render_all
from storage.repositories import nudges as ledger


@dataclass
class _Batch:
    """What became of a claimed batch, written in a few statements at its end."""

    sent: list[int] = field(default_factory=list)
    skipped: dict[str, list[int]] = field(default_factory=dict)
    failed: list[int] = field(default_factory=list)

    def skip(self, nudge_id: int, reason: str) -> None:
        self.skipped.setdefault(reason, []).append(nudge_id)


def hand_over(
    session: Session,
    claimed: list[ledger.ClaimedNudge],
    state: PassState,
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


def _skip_claimed(nudge: ledger.ClaimedNudge, state: PassState, today: date) -> SkipReason | None:
    return skip_reason(
        rule=nudge.rule,
        recipient=nudge.recipient,
        useful_until=nudge.useful_until,
        today=today,
        muted=state.muted.get(nudge.review_id, frozenset()),
        channel_unreachable=nudge.review_id in state.unreachable,
        paused_through=state.snoozes.get(nudge.recipient),
    )
