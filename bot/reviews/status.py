"""`/psif status`: the stage, the timeline with what's next, the team, the self-assessment's
progress, and the offer to move on when the work of the stage is done."""

from __future__ import annotations

from bot.core.milestones_done import done_keys
from bot.core.permissions import Operation, permits, who_can
from bot.core.stages import move_offer
from bot.deps import Deps
from bot.review_access import readable_channel_review
from bot.reviews.progress import review_progress
from bot.reviews.stage_gaps import stage_gaps
from bot.reviews.views import build_status, move_offer_blocks
from bot.self_assessment.service import self_assessment_status
from bot.slack.blocks import Block
from storage.db import transaction
from storage.repositories.reminders import done_milestones
from storage.repositories.reviews import roles_of, snapshot


def review_status(deps: Deps, *, channel_id: str, user_id: str) -> tuple[str, list[Block]]:
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        picture = snapshot(review)
        progress = review_progress(session=session, review=review, today=today)
        gaps = stage_gaps(picture.stage, progress)
        offer = move_offer(picture.stage, progress) if review.closed_at is None else None
        may_move = permits(Operation.MOVE_STAGE, roles_of(review, user_id))
        self_assessment = self_assessment_status(session=session, deps=deps, review=review)
        recorded = done_milestones(session=session, review_id=review.id)
    done = done_keys(stage=picture.stage, recorded=recorded)
    offer_blocks = (
        move_offer_blocks(picture, offer, can_move=may_move, who=who_can(Operation.MOVE_STAGE))
        if offer
        else None
    )
    text, blocks = build_status(picture, today=today, gaps=gaps, offer=offer_blocks, done=done)
    return text, blocks + self_assessment
