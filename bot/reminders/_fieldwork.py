"""Fieldwork reminders: the working day before someone runs sessions, a direct message lists
their sessions that day with the areas for improvement to probe.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from bot.core.calendar import format_day, previous_working_day
from bot.core.nudges import PlannedNudge, is_before_send_moment
from bot.fieldwork.views import build_day_before_reminder
from bot.reminders._rule import HOLIDAY_SLACK, NudgeRule, Planning, Rendering
from bot.slack.blocks import Message
from storage.repositories.fieldwork import fieldwork_sessions_run_on, runner_days


def plan(planning: Planning) -> Iterator[PlannedNudge]:
    zones = {review.id: review.zone for review in planning.reviews}
    for runner in runner_days(
        session=planning.session,
        review_ids=planning.review_ids,
        first_day=planning.first_day + timedelta(days=1),
        # A session after a long weekend is still found from the working day before it.
        last_day=planning.last_day + HOLIDAY_SLACK,
    ):
        day = previous_working_day(runner.day)
        if not planning.covers(day):
            continue
        if not is_before_send_moment(runner.first_planned_at, day, zones[runner.review_id]):
            continue  # planned after the reminder's moment: the planning DM told them
        yield PlannedNudge(
            review_id=runner.review_id,
            rule="fieldwork.day_before",
            day=day,
            useful_until=runner.day - timedelta(days=1),
            summary=f"Direct reminder of fieldwork sessions on {format_day(runner.day)}",
            recipient=runner.user_id,
        )


def render(rendering: Rendering) -> Message | None:
    nudge, review = rendering.nudge, rendering.review
    # The days whose working day before is the nudge's (a Friday covers the weekend and
    # Monday; a day before a bank holiday covers it and the day after).
    days, day = [], nudge.day + timedelta(days=1)
    while previous_working_day(day) == nudge.day:
        days.append(day)
        day += timedelta(days=1)
    items = fieldwork_sessions_run_on(
        session=rendering.session, review_id=review.id, user_id=nudge.recipient, days=days
    )
    if not items:
        return None  # cancelled, moved or handed to someone else since this was planned
    return Message(
        *build_day_before_reminder(
            items, host_council=review.host_council, day=min(item.day for item in items)
        )
    )


RULE = NudgeRule(name="fieldwork", label="Fieldwork session reminders", plan=plan, render=render)
