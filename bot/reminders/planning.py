"""Asking every rule what is owed, for one pass or for the `/psif reminders` listing."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import date, datetime

from sqlalchemy.orm import Session

from bot.core.calendar import working_day_on_or_before
from bot.core.nudges import OpenReview, PlannedNudge
from bot.reminders.rules import NudgeRule, Planning

logger = logging.getLogger(__name__)

Window = tuple[date, date]


def plan_nudges(
    *,
    session: Session,
    reviews: Sequence[OpenReview],
    window: Callable[[OpenReview], Window],
    now: datetime,
    rules: Sequence[NudgeRule],
    respondent_secret: bytes,
) -> list[PlannedNudge]:
    """Every rule's nudges for each review's window (first and last day, inclusive).

    A day that is not a working day moves to the working day before, so a rule can never
    send at a weekend or on a bank holiday.
    """
    if not reviews:
        return []
    windows = {review.id: window(review) for review in reviews}
    planning = Planning(
        session=session,
        reviews=reviews,
        first_day=min(first for first, _ in windows.values()),
        last_day=max(last for _, last in windows.values()),
        now=now,
        respondent_secret=respondent_secret,
    )
    planned: list[PlannedNudge] = []
    for rule in rules:
        for nudge in _plan_safely(session, rule, planning):
            bounds = windows.get(nudge.review_id)
            working_day = working_day_on_or_before(nudge.day)
            if working_day != nudge.day:
                nudge = replace(nudge, day=working_day)
            if bounds is not None and bounds[0] <= nudge.day <= bounds[1]:
                planned.append(nudge)
    return planned


def _plan_safely(session: Session, rule: NudgeRule, planning: Planning) -> list[PlannedNudge]:
    """One broken rule must not silence the others: its failure is logged and skipped."""
    try:
        with session.begin_nested():
            return list(rule.plan(planning))
    except Exception:  # any bug in a rule; the traceback goes to the log
        logger.exception("nudge rule %r failed to plan; skipping it this pass", rule.name)
        return []
