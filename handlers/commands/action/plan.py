"""`/action plan`: post the whole improvement plan to the channel, grouped by AFI."""

from __future__ import annotations

from bot.improvement_actions.plan_views import LatestNotes, build_plan_messages
from bot.improvement_actions.rules import group_by_afi
from bot.reviews.permissions import Operation
from bot.slack.calls import post_to_channel, unreachable_channel_advice
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.action_progress import review_progress_notes
from storage.repositories.improvement_actions import item_of, review_actions
from storage.repositories.reviews import snapshot


def run(ctx: CommandContext) -> None:
    today = ctx.deps.today()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.readable_review(session)  # a closed review's plan stays readable
        if review is None or not ctx.require(review, Operation.SEE_PLAN):
            return
        if review.closed_at is not None:
            ctx.reply(ctx.closed_note(review))
        picture = snapshot(review)
        items = [item_of(action) for action in review_actions(session=session, review_id=review.id)]
        notes = review_progress_notes(session=session, review_id=review.id)
    if not items:
        ctx.reply("No actions have been logged yet. Log the first with `/action log`.")
        return
    messages = build_plan_messages(
        picture,
        group_by_afi(items),
        today=today,
        posted_by=ctx.user_id,
        notes=LatestNotes(
            {number: updates[-1] for number, updates in notes.items()},
            zone=ctx.deps.settings.timezone,
        ),
    )
    for text, blocks in messages:
        _, error = post_to_channel(ctx.client, channel=picture.channel_id, text=text, blocks=blocks)
        if error:
            ctx.reply(unreachable_channel_advice(picture.channel_id, error))
            return


SUBCOMMAND = Subcommand(
    name="plan",
    usage="/action plan",
    summary="post the whole improvement plan to the channel, grouped by AFI",
    run=run,
    order=40,
)
