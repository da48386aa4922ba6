"""`/action plan`: post the whole improvement plan to the channel, grouped by AFI."""

from __future__ import annotations

from bot.improvement_actions.plan import post_plan
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    command = ctx.command
    notes = post_plan(
        ctx.deps,
        channel_id=command.channel_id,
        user_id=ctx.user_id,
        response_url=command.response_url,
    )
    for note in notes:
        ctx.reply(note)


SUBCOMMAND = Subcommand(
    name="plan",
    usage="/action plan",
    summary="post the whole improvement plan to the channel, grouped by AFI",
    run=run,
    order=40,
)
