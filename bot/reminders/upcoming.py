"""`/psif reminders`: the reminders coming in the next two weeks and what stops any of them.

The list asks the scheduler's own planning what it would send, so it can't drift from what
is sent.
"""

from __future__ import annotations

from datetime import timedelta

from bot.core.nudges import CHANNEL, PlannedNudge
from bot.deps import Deps
from bot.reminders.planning import plan_nudges
from bot.reminders.rules import all_rules
from bot.reminders.views import build_reminders_list, scheduled_entries
from bot.review_access import channel_review
from bot.slack.blocks import Message
from storage.db import transaction
from storage.repositories.nudges import statuses_for_review
from storage.repositories.reminders import ALL_RULES, channel_problem, muted_rules, paused_through
from storage.repositories.reviews import open_review_facts

LISTED_DAYS = 14


def upcoming_reminders(deps: Deps, *, channel_id: str, user_id: str) -> Message:
    """The next `LISTED_DAYS` of the channel review's reminders, each with its state."""
    now = deps.now()
    rules = all_rules()
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        facts = open_review_facts(review, default_zone=deps.settings.timezone)
        today = now.astimezone(facts.zone).date()
        planned = plan_nudges(
            session=session,
            reviews=[facts],
            window=lambda _: (today, today + timedelta(days=LISTED_DAYS - 1)),
            now=now,
            rules=rules,
            respondent_secret=deps.respondent_secret,
        )
        statuses = statuses_for_review(session=session, review_id=review.id, since=today)
        muted = muted_rules(session=session, review_id=review.id)
        problem = channel_problem(session=session, review_id=review.id)
        snoozed_through = paused_through(session=session, user_id=user_id, today=today)
    listed: list[tuple[PlannedNudge, str]] = []
    for nudge in planned:
        state = statuses.get(nudge.key, "scheduled")
        if state == "scheduled" and (ALL_RULES in muted or nudge.rule_name in muted):
            state = "off"
        elif state == "scheduled" and problem and nudge.recipient == CHANNEL:
            state = "channel unreachable"
        listed.append((nudge, state))
    return build_reminders_list(
        entries=scheduled_entries(listed, viewer=user_id),
        rule_labels=[(rule.name, rule.label) for rule in rules],
        muted=muted,
        channel_problem=problem,
        snoozed_through=snoozed_through,
        today=today,
        days=LISTED_DAYS,
    )
