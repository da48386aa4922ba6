"""Timeline nudges to the review's channel (guidance, Appendix 1 and section 5): before each
milestone (see NUDGES for when), and the working day after it unless it is done (`/psif
done`, or the stage has moved past it; bot/core/milestones_done.py).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta

from bot.core.calendar import format_date, previous_working_day, working_day_on_or_before
from bot.core.milestones_done import DONE_AT_STAGE, is_done
from bot.core.nudges import PlannedNudge
from bot.core.permissions import Operation, who_can
from bot.core.timeline import LABELS, Timeline
from bot.reminders._rule import NudgeRule, Planning, Rendering, day_after, week_before
from bot.reminders.views import build_milestone_missed, build_milestone_reminder, missed
from bot.slack.blocks import Message
from storage.repositories.afis import prioritised_afis
from storage.repositories.reminders import done_milestones_of

MISSED_USEFUL_FOR = timedelta(days=14)


@dataclass(frozen=True)
class TimelineNudge:
    milestone: str
    kind: str
    send_on: Callable[[date], date]
    # The last day the nudge is worth sending, given the milestone's day.
    useful_until: Callable[[date], date]

    @property
    def rule(self) -> str:
        return f"timeline.{self.milestone}.{self.kind}"

    def counts_from(self, timeline: Timeline) -> date | None:
        day: date | None = getattr(timeline, self.milestone)  # papers_due is a property
        return day


def _until_day_before(day: date) -> date:
    return day - timedelta(days=1)


def _until_before_day_before_nudge(day: date) -> date:
    # Once the 1-day reminder is due, the week-ahead one is redundant.
    return previous_working_day(day) - timedelta(days=1)


def _papers_soon(day: date) -> date:
    return working_day_on_or_before(day - timedelta(days=2))


NUDGES: tuple[TimelineNudge, ...] = (
    TimelineNudge("pre_meeting", "week_before", week_before, _until_before_day_before_nudge),
    TimelineNudge("pre_meeting", "day_before", previous_working_day, _until_day_before),
    TimelineNudge("papers_due", "soon", _papers_soon, lambda day: day),
    TimelineNudge("fieldwork_start", "day_before", previous_working_day, _until_day_before),
    TimelineNudge("draft_report", "week_before", week_before, _until_day_before),
    TimelineNudge("leads_meeting", "day_before", previous_working_day, _until_day_before),
    TimelineNudge("final_report", "week_before", week_before, _until_day_before),
    *(
        TimelineNudge(milestone, "missed", day_after, lambda day: day + MISSED_USEFUL_FOR)
        for milestone in DONE_AT_STAGE
        # Fieldwork is a span of days: it is missed once its last day has passed (its end's
        # nudge), never on day 2.
        if milestone != "fieldwork_start"
    ),
)
BY_RULE = {nudge.rule: nudge for nudge in NUDGES}


def _summary(nudge: TimelineNudge, day: date) -> str:
    if nudge.kind == "missed":
        return " ".join(missed(nudge.milestone)) + f" {format_date(day)}, if not recorded done"
    return f"Reminder: {LABELS[nudge.milestone]} on {format_date(day)}"


def plan(planning: Planning) -> Iterator[PlannedNudge]:
    done = done_milestones_of(session=planning.session)
    for review in planning.reviews:
        for nudge in NUDGES:
            day = nudge.counts_from(review.timeline)
            recorded = done.get(review.id, frozenset())
            if day is None or is_done(nudge.milestone, stage=review.stage, recorded=recorded):
                continue
            if planning.covers(nudge.send_on(day)):
                yield PlannedNudge(
                    review_id=review.id,
                    rule=nudge.rule,
                    day=nudge.send_on(day),
                    useful_until=nudge.useful_until(day),
                    summary=_summary(nudge, day),
                    payload={"milestone_day": day.isoformat()},
                )


def recorded_done(rendering: Rendering) -> frozenset[str]:
    """The milestones recorded done in the review, loaded once for the whole batch."""
    return rendering.batch.for_review(
        "milestones_done",
        rendering.review.id,
        lambda review_ids: done_milestones_of(session=rendering.session, review_ids=review_ids),
        frozenset(),
    )


def render(rendering: Rendering) -> Message | None:
    nudge = BY_RULE.get(rendering.nudge.rule)
    review = rendering.review
    day = nudge.counts_from(review.timeline) if nudge else None
    # The date moved so this nudge falls on another day since it was planned: a fresh nudge
    # (with its own key) covers that day. Moved within the same day, it goes with the new date.
    if nudge is None or day is None or nudge.send_on(day) != rendering.nudge.day:
        return None
    if is_done(nudge.milestone, stage=review.stage, recorded=recorded_done(rendering)):
        return None
    if nudge.kind == "missed":
        return build_milestone_missed(
            host_council=review.host_council,
            milestone=nudge.milestone,
            day=day,
            who=who_can(Operation.RECORD_MILESTONE),
        )
    afis: list[str] = []
    if nudge.milestone == "fieldwork_start":
        afis = [
            afi.text for afi in prioritised_afis(session=rendering.session, review_id=review.id)
        ]
    return build_milestone_reminder(
        host_council=review.host_council,
        milestone=nudge.milestone,
        day=day,
        today=rendering.today,
        prioritised_afis=afis,
    )


RULE = NudgeRule(name="timeline", label="Timeline reminders", plan=plan, render=render)
