"""Offering the leads the move to the next stage when a milestone's work happens.

Officers do the work (invite stakeholders, close the self-assessment, hold the vote, log
the first action) and forget to move the stage, so status and digests would show the old
one. On the day the work first reaches a later stage, each lead gets one direct message
with a button to move on. The key carries the stage reached and the day it was reached,
so a pass run twice, or by two schedulers, sends it once; if a lead has moved the stage
meanwhile it is skipped.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from bot.core.nudges import PlannedNudge
from bot.core.roles import Role
from bot.core.stages import ORDER, STAGES, Stage, move_offer, work_reached_on
from bot.reminders._rule import NudgeRule, Planning, Rendering
from bot.review_access import get_review
from bot.reviews.service import review_progress
from bot.reviews.views import build_stage_offer
from bot.slack.blocks import Message
from storage.repositories.afi_votes import members_of
from storage.repositories.reviews import snapshot, work_moments_of

USEFUL_FOR = timedelta(days=7)
LEADS = {Role.HOST_LEAD.value, Role.IS_LEAD.value}


def plan(planning: Planning) -> Iterator[PlannedNudge]:
    moments = work_moments_of(session=planning.session, review_ids=planning.review_ids)
    teams = members_of(session=planning.session, review_ids=planning.review_ids)
    for review in planning.reviews:
        if review.stage in (Stage.FOLLOW_UP, Stage.CLOSED) or review.id not in moments:
            continue
        today = planning.now.astimezone(review.zone).date()
        reached = work_reached_on(
            moments[review.id], review.timeline, today=today, zone=review.zone
        )
        if reached is None or ORDER.index(reached[0]) <= ORDER.index(review.stage):
            continue
        stage, day = reached
        for lead in sorted(u for u, roles in teams.get(review.id, {}).items() if LEADS & roles):
            yield PlannedNudge(
                review_id=review.id,
                rule=f"stage.{stage.value}",
                day=day,
                useful_until=day + USEFUL_FOR,
                summary=f"Offer to move on: the work has reached {STAGES[stage].label}",
                recipient=lead,
            )


def render(rendering: Rendering) -> Message | None:
    stored = get_review(session=rendering.session, review_id=rendering.review.id)
    if stored is None or stored.closed_at is not None:
        return None
    picture = snapshot(stored)
    progress = review_progress(session=rendering.session, review=stored, today=rendering.today)
    offer = move_offer(picture.stage, progress)
    if offer is None or offer.reached.value != rendering.nudge.rule.removeprefix("stage."):
        return None  # moved on by a lead meanwhile, or overtaken by a later milestone's offer
    return Message(*build_stage_offer(picture, offer))


RULE = NudgeRule(name="stage", label="Offers to move the stage on", plan=plan, render=render)
