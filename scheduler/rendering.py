"""Rendering a claimed batch of nudges: every message under one savepoint, and only if a
rule's render fails, each alone (so one rule's bug costs one nudge, not the batch)."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from bot.core.nudges import OpenReview
from bot.reminders.rules import NudgeRule, Rendering, SharedFacts, StoredNudge
from bot.slack.blocks import Message
from storage.repositories import nudges as ledger

logger = logging.getLogger(__name__)

RENDER_FAILED = Message("", [])  # stands for a render that raised: recorded failed


@dataclass(frozen=True)
class Standing:
    """A claimed nudge that still stands, to be rendered."""

    review: OpenReview
    nudge: ledger.ClaimedNudge
    rule: NudgeRule
    today: date


def render_all(
    session: Session, standing: list[Standing], *, respondent_secret: bytes
) -> list[Message | None]:
    """Each nudge's message (None: it no longer applies; RENDER_FAILED: its rule raised)."""
    shared = SharedFacts(frozenset(item.review.id for item in standing))
    try:
        with session.begin_nested():
            return [_render(session, item, respondent_secret, shared) for item in standing]
    except Exception:
        return [_render_alone(session, item, respondent_secret, shared) for item in standing]


def _render(
    session: Session, item: Standing, respondent_secret: bytes, shared: SharedFacts
) -> Message | None:
    nudge = item.nudge
    stored = StoredNudge(
        id=nudge.id,
        review_id=nudge.review_id,
        rule=nudge.rule,
        day=nudge.day,
        recipient=nudge.recipient,
        payload=nudge.payload,
    )
    return item.rule.render(
        Rendering(
            session=session,
            review=item.review,
            nudge=stored,
            today=item.today,
            respondent_secret=respondent_secret,
            shared=shared,
        )
    )


def _render_alone(
    session: Session, item: Standing, respondent_secret: bytes, shared: SharedFacts
) -> Message | None:
    try:
        with session.begin_nested():
            return _render(session, item, respondent_secret, shared)
    except Exception:  # a bug in one rule must not block every nudge queued behind it
        logger.exception("nudge rule %r failed to render nudge %s", item.rule.name, item.nudge.id)
        return RENDER_FAILED
