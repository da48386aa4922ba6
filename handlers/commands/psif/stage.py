"""`/psif stage` shows the stage and its gaps; `/psif stage next` moves on after confirming."""

from __future__ import annotations

from bot.reviews.roles import LEADS
from bot.reviews.stages import Stage, next_stage, stage_gaps
from bot.reviews.views import build_advance_confirmation, build_stage_view
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.review_progress import review_progress
from storage.repositories.reviews import roles_of, snapshot


def run(ctx: CommandContext) -> None:
    wants_next = ctx.args.lower() in ("next", "advance")
    if ctx.args and not wants_next:
        ctx.reply("Type `/psif stage` to see the stage, or `/psif stage next` to move on.")
        return
    today = ctx.deps.today()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None:
            return
        picture = snapshot(review)
        gaps = stage_gaps(
            picture.stage, review_progress(session=session, review=review, today=today)
        )
        is_lead = bool(roles_of(review, ctx.user_id) & LEADS)
        if wants_next and not ctx.require_role(review, LEADS, "move the review to its next stage"):
            return
    if not wants_next:
        text, blocks = build_stage_view(picture, gaps=gaps, can_advance=is_lead)
        ctx.reply(text, blocks)
        return
    target = next_stage(picture.stage)
    if target is None or picture.stage is Stage.CLOSED:
        ctx.reply("This review is closed; there is no next stage.")
        return
    text, blocks = build_advance_confirmation(picture, target, gaps)
    ctx.reply(text, blocks)


SUBCOMMAND = Subcommand(
    name="stage",
    usage="/psif stage [next]",
    summary="what the current stage still needs; `next` moves on (leads)",
    run=run,
    order=30,
)
