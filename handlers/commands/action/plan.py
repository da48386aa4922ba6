"""`/action plan`: post the whole improvement plan to the channel, grouped by AFI."""

from __future__ import annotations

from bot.improvement_actions.plan import plan_to_post, post_plan
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    plan = plan_to_post(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id)
    for note in plan.notes:
        ctx.reply(note)
    problem = post_plan(ctx.client, plan) if plan.messages else None
    if problem:
        ctx.reply(problem)


SUBCOMMAND = Subcommand(
    name="plan",
    usage="/action plan",
    summary="post the whole improvement plan to the channel, grouped by AFI",
    run=run,
    order=40,
)
