"""`/psif status`: stage, timeline with what is next, and the team."""

from __future__ import annotations

from bot.reviews.milestones_done import done_keys
from bot.reviews.permissions import Operation, permits, who_can
from bot.reviews.stages import move_offer, stage_gaps
from bot.reviews.views import build_status, move_offer_blocks
from bot.self_assessment.service import self_assessment_status
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.reminders import done_milestones
from storage.repositories.review_progress import review_progress
from storage.repositories.reviews import roles_of, snapshot


def run(ctx: CommandContext) -> None:
    today = ctx.deps.today()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.readable_review(session)
        if review is None:
            return
        picture = snapshot(review)
        progress = review_progress(session=session, review=review, today=today)
        gaps = stage_gaps(picture.stage, progress)
        offer = move_offer(picture.stage, progress) if review.closed_at is None else None
        may_move = permits(Operation.MOVE_STAGE, roles_of(review, ctx.user_id))
        self_assessment = self_assessment_status(session=session, deps=ctx.deps, review=review)
        recorded = done_milestones(session=session, review_id=review.id)
    done = done_keys(stage=picture.stage, recorded=recorded)
    offer_blocks = (
        move_offer_blocks(picture, offer, can_move=may_move, who=who_can(Operation.MOVE_STAGE))
        if offer
        else None
    )
    text, blocks = build_status(picture, today=today, gaps=gaps, offer=offer_blocks, done=done)
    blocks += self_assessment
    ctx.reply(text, blocks)


SUBCOMMAND = Subcommand(
    name="status",
    usage="/psif status",
    summary="where the review stands: stage, what's next, the team",
    run=run,
    order=20,
)
