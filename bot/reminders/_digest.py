"""The Monday-morning digest in an open review's channel: the stage, last week's activity
(actions, the audit trail, the self-assessment's completion while open) and the next two
weeks. A week with nothing done gets none. It goes on the first working day of the week,
worth sending until Wednesday; reviews opened since the previous Monday wait a week.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy.orm import Session

from bot.core.calendar import aware, format_date
from bot.core.milestones_done import DONE_AT_STAGE, done_keys
from bot.core.nudges import PlannedNudge
from bot.core.stages import WorkMoments, move_offer
from bot.core.timeline import milestones
from bot.reminders._rule import NudgeRule, Planning, Rendering, first_working_days_of_weeks
from bot.reminders._timeline import recorded_done
from bot.reminders.views import DigestFacts, build_weekly_digest
from bot.slack.blocks import Message
from bot.slack.text import plural
from storage.repositories.improvement_actions import actions_logged_and_completed
from storage.repositories.reviews import audit_counts, work_moments_of
from storage.repositories.self_assessment import completion, get_checklist_round

COMING_DAYS = 14
# Audit actions are "<area>.<verb>"; each area is described in words, so features that add
# audit events show up in the digest without touching this module. An action with words of
# its own (a report issued) is named rather than folded into its area.
AREAS: dict[str, tuple[str, str]] = {
    "review": ("review update", "review updates"),
    "team": ("change to the team", "changes to the team"),
    "participants": ("change to the host participants", "changes to the host participants"),
    "stage": ("stage change", "stage changes"),
    "milestone": ("milestone recorded done", "milestones recorded done"),
    "afi": ("change to the areas for improvement", "changes to the areas for improvement"),
    "vote": ("prioritisation vote update", "prioritisation vote updates"),
    "action": ("improvement action update", "improvement action updates"),
    "self_assessment": ("self-assessment update", "self-assessment updates"),
    "checklist": ("self-assessment update", "self-assessment updates"),
    "papers": ("change to the papers", "changes to the papers"),
    "fieldwork": ("change to the fieldwork schedule", "changes to the fieldwork schedule"),
    "finding": ("change to the findings", "changes to the findings"),
    "reminders": ("reminder setting changed", "reminder settings changed"),
}
ACTIONS: dict[str, tuple[str, str]] = {
    "finding.recorded": ("finding recorded", "findings recorded"),
    "finding.shared": (
        "finding marked as learning to share",
        "findings marked as learning to share",
    ),
    "papers.sent": ("papers sent to the review team", "papers sent to the review team"),
    "participants.sent": (
        "pack sent to the host participants",
        "packs sent to the host participants",
    ),
    "report.drafted": ("draft report version shared", "draft report versions shared"),
    "report.final": ("final report agreed", "final reports agreed"),
    "report.summary": ("LGBF website summary made", "LGBF website summaries made"),
    "report.briefing": ("elected members' briefing made", "elected members' briefings made"),
}
OTHER = ("other update", "other updates")


def plan(planning: Planning) -> Iterator[PlannedNudge]:
    for monday, day in first_working_days_of_weeks(planning.first_day, planning.last_day):
        previous_monday = monday - timedelta(days=7)
        for review in planning.reviews:
            if review.opened_on < previous_monday:
                yield PlannedNudge(
                    review_id=review.id,
                    rule="digest.weekly",
                    day=day,
                    useful_until=max(day, monday + timedelta(days=2)),
                    summary="Weekly update (covering the week from "
                    f"{format_date(previous_monday)})",
                    payload={"week_start": previous_monday.isoformat()},
                )


def describe_activity(counts: Counter[str]) -> list[str]:
    """'3 changes to the team', … from audit action counts."""
    by_words: Counter[tuple[str, str]] = Counter()
    for action, count in counts.items():
        area = action.split(".", 1)[0]
        by_words[ACTIONS.get(action) or AREAS.get(area) or OTHER] += count
    lines = []
    for words, count in sorted(by_words.items(), key=lambda item: (item[0] == OTHER, -item[1])):
        if count > 0:
            lines.append(plural(count, *words))
    return lines


def outcome_lines(logged: int, completed: int) -> list[str]:
    """'3 improvement actions logged', '1 improvement action completed': the headline counts."""
    return [
        f"{plural(count, 'improvement action')} {what}"
        for count, what in ((logged, "logged"), (completed, "completed"))
        if count
    ]


def updates_beyond_outcomes(counts: dict[str, int], completed: int) -> Counter[str]:
    """The audit counts less what the headline counts already said: an action logged, or
    marked done, is news once, not also "an improvement action update"."""
    rest = Counter(counts)
    del rest["action.logged"]
    rest["action.status"] -= completed
    return rest


def self_assessment_so_far(session: Session, review_id: int, week_start: datetime) -> list[str]:
    """The self-assessment's completion so far (a total, never names), for a week it was open
    in: once closed, the same line every Monday is noise."""
    checklist_round = get_checklist_round(session=session, review_id=review_id)
    if checklist_round is None:
        return []
    if checklist_round.closed_at is not None:
        if aware(checklist_round.closed_at) < week_start:
            return []
    elif checklist_round.closes_on < week_start.date():
        return []
    counts = completion(session=session, review_id=review_id)
    return [f"Self-assessment: {counts.line()}"] if counts.invited else []


def render(rendering: Rendering) -> Message | None:
    session, review, today = rendering.session, rendering.review, rendering.today
    week_start = date.fromisoformat(rendering.nudge.payload["week_start"])
    week_end = week_start + timedelta(days=7)
    start = datetime.combine(week_start, time(0), tzinfo=review.zone)
    end = datetime.combine(week_end, time(0), tzinfo=review.zone)
    since, until = start.astimezone(UTC), end.astimezone(UTC)
    counts = audit_counts(session=session, review_id=review.id, since=since, until=until)
    logged, completed = actions_logged_and_completed(
        session=session, review_id=review.id, since=since, until=until
    )
    happened = [
        *outcome_lines(logged, completed),
        *describe_activity(updates_beyond_outcomes(counts, completed)),
    ]
    if not happened:
        return None  # a week with nothing done in the review: no "nothing happened" post
    coming, overdue = [], []
    finished = done_keys(stage=review.stage, recorded=recorded_done(rendering))
    for milestone in milestones(review.timeline):
        if milestone.key in finished:
            continue  # recorded done: neither coming nor overdue
        if today <= milestone.day <= today + timedelta(days=COMING_DAYS):
            coming.append((milestone.label, milestone.day))
        elif milestone.day < today and milestone.key in DONE_AT_STAGE:
            overdue.append((milestone.key, milestone.day))
    return build_weekly_digest(
        DigestFacts(
            host_council=review.host_council,
            focus=review.focus,
            stage=review.stage,
            week_start=week_start,
            week_end=week_end - timedelta(days=1),
            activity=[*self_assessment_so_far(session, review.id, start), *happened],
            coming=coming,
            overdue=overdue,
            offer=move_offer(
                review.stage,
                rendering.batch.for_review(
                    "work_moments",
                    review.id,
                    lambda ids: work_moments_of(session=session, review_ids=ids),
                    WorkMoments(),
                ),
                review.timeline,
                today=today,
                zone=review.zone,
            ),
        )
    )


RULE = NudgeRule(name="digest", label="Monday weekly update", plan=plan, render=render)
