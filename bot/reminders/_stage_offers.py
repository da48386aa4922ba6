"""Offering the leads the move to the next stage once its work or its dates have begun: on
the day it first shows, each lead gets one direct message with a button to move on to it.
The key carries the stage offered and that day, so it is sent once.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

from bot.core.nudges import PlannedNudge
from bot.core.roles import Role
from bot.core.stages import STAGES, move_offer
from bot.reminders._rule import NudgeRule, Planning, Rendering
from bot.review_access import get_review
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
        if review.id not in moments:
            continue
        today = planning.now.astimezone(review.zone).date()
        offer = move_offer(
            review.stage, moments[review.id], review.timeline, today=today, zone=review.zone
        )
        if offer is None:
            continue
        for lead in sorted(u for u, roles in teams.get(review.id, {}).items() if LEADS & roles):
            yield PlannedNudge(
                review_id=review.id,
                rule=f"stage.{offer.target.value}",
                day=offer.since,
                useful_until=offer.since + USEFUL_FOR,
                summary=f"Offer to move on to {STAGES[offer.target].label}",
                recipient=lead,
            )


def render(rendering: Rendering) -> Message | None:
    stored = get_review(session=rendering.session, review_id=rendering.review.id)
    if stored is None or stored.closed_at is not None:
        return None
    picture = snapshot(stored)
    moments = work_moments_of(session=rendering.session, review_ids=[stored.id])[stored.id]
    offer = move_offer(
        picture.stage,
        moments,
        picture.timeline,
        today=rendering.today,
        zone=rendering.review.zone,
    )
    if offer is None or offer.target.value != rendering.nudge.rule.removeprefix("stage."):
        return None  # moved on by a lead meanwhile
    return Message(*build_stage_offer(picture, offer))


RULE = NudgeRule(name="stage", label="Offers to move the stage on", plan=plan, render=render)
