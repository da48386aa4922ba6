"""`/psif status`: stage, timeline with what is next, and the team."""

from __future__ import annotations

from bot.reviews.stages import stage_gaps
from bot.reviews.views import build_status
from bot.self_assessment.service import self_assessment_status
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.review_progress import review_progress
from storage.repositories.reviews import snapshot


def run(ctx: CommandContext) -> None:
    today = ctx.deps.today()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.readable_review(session)
        if review is None:
            return
        picture = snapshot(review)
        gaps = stage_gaps(
            picture.stage, review_progress(session=session, review=review, today=today)
        )
        self_assessment = self_assessment_status(session=session, deps=ctx.deps, review=review)
    text, blocks = build_status(picture, today=today, gaps=gaps)
    blocks += self_assessment
    ctx.reply(text, blocks)


SUBCOMMAND = Subcommand(
    name="status",
    usage="/psif status",
    summary="where the review stands: stage, what's next, the team",
    run=run,
    order=20,
)
