"""Action reminders: the owner gets a direct message 7 days and 1 working day before the due
date, and the working day after if still open; the channel gets the overdue list on the
first working day of each week while there are any.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import date, timedelta

from bot.core.actions import UNFINISHED
from bot.core.calendar import format_date, previous_working_day
from bot.core.nudges import CHANNEL, PlannedNudge, is_before_send_moment
from bot.improvement_actions.views import build_action_due_reminder, build_overdue_digest
from bot.reminders._rule import (
    HOLIDAY_SLACK,
    NudgeRule,
    Planning,
    Rendering,
    day_after,
    first_working_days_of_weeks,
    week_before,
)
from bot.reminders.views import without_mentions_of
from bot.slack.blocks import Message
from storage.repositories.improvement_actions import (
    earliest_unfinished_due,
    get_action,
    item_of,
    overdue_actions,
    unfinished_due_between,
)

# Each owner reminder: the day it goes, and the last day it is worth sending, from the due date.
OWNER_NUDGES: dict[str, tuple[Callable[[date], date], Callable[[date], date]]] = {
    "week_before": (week_before, lambda due: previous_working_day(due) - timedelta(days=1)),
    "day_before": (previous_working_day, lambda due: due),
    "day_after": (day_after, lambda due: due + timedelta(days=7)),
}
UNFINISHED_VALUES = [status.value for status in UNFINISHED]


def plan(planning: Planning) -> Iterator[PlannedNudge]:
    zones = {review.id: review.zone for review in planning.reviews}
    actions = unfinished_due_between(
        session=planning.session,
        review_ids=planning.review_ids,
        # Only actions with an owner reminder in the window: from 7 days (plus holidays)
        # before the due date to the working day after it.
        first=planning.first_day - timedelta(days=1) - HOLIDAY_SLACK,
        last=planning.last_day + timedelta(days=7) + HOLIDAY_SLACK,
    )
    for action in actions:
        for kind, (send_on, useful_until) in OWNER_NUDGES.items():
            day = send_on(action.due)
            if planning.covers(day) and is_before_send_moment(
                action.created_at, day, zones[action.review_id]
            ):
                yield PlannedNudge(
                    review_id=action.review_id,
                    rule=f"actions.owner_{kind}",
                    day=day,
                    useful_until=useful_until(action.due),
                    summary=f"Direct reminder to the owner of action {action.number}, "
                    f"due {format_date(action.due)}",
                    recipient=action.owner_id,
                    payload={"action_id": action.id, "due": action.due.isoformat()},
                )
    weeks = list(first_working_days_of_weeks(planning.first_day, planning.last_day))
    if not weeks:
        return
    earliest_due = earliest_unfinished_due(
        session=planning.session,
        review_ids=planning.review_ids,
        before=max(day for _, day in weeks),
    )
    for monday, day in weeks:
        for review_id, due in earliest_due.items():
            if due < day:
                yield PlannedNudge(
                    review_id=review_id,
                    rule="actions.overdue_digest",
                    day=day,
                    useful_until=max(day, monday + timedelta(days=2)),
                    summary="Overdue actions, listed in the channel",
                )


def render(rendering: Rendering) -> Message | None:
    session, review, nudge = rendering.session, rendering.review, rendering.nudge
    if nudge.recipient == CHANNEL:
        overdue = [
            item_of(action)
            for action in overdue_actions(
                session=session, review_id=review.id, today=rendering.today
            )
        ]
        if not overdue:
            return None
        digest = build_overdue_digest(
            overdue, host_council=review.host_council, today=rendering.today
        )
        # Owners whose action fell overdue yesterday get their own reminder this morning;
        # mentioning them in the channel as well would notify them twice.
        told = {item.owner_id for item in overdue if day_after(item.due) == rendering.today}
        return without_mentions_of(digest, told, "owner reminded directly")
    action_id = nudge.payload.get("action_id")
    action = get_action(session=session, action_id=action_id) if action_id is not None else None
    send_on, _ = OWNER_NUDGES.get(nudge.rule.removeprefix("actions.owner_"), (None, None))
    # Done, dropped, handed to someone else, or re-dated so this reminder falls on another
    # day (a nudge for that day replaces it) since this was planned.
    if (
        action is None
        or send_on is None
        or action.status not in UNFINISHED_VALUES
        or send_on(action.due) != nudge.day
        or action.owner_id != nudge.recipient
    ):
        return None
    return build_action_due_reminder(
        item_of(action),
        host_council=review.host_council,
        channel_id=review.channel_id,
        today=rendering.today,
        overdue=nudge.rule == "actions.owner_day_after",
    )


RULE = NudgeRule(name="actions", label="Action reminders", plan=plan, render=render)
