"""`/afi vote` (host lead or Improvement Service): choose the vote's settings in a modal."""

from __future__ import annotations

from bot.afis.vote_control import vote_form
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    view = vote_form(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        response_url=ctx.command.response_url,
    )
    ctx.open_modal(view)


SUBCOMMAND = Subcommand(
    name="vote",
    usage="/afi vote",
    summary="start a dot vote on the areas for improvement (host lead, Improvement Service)",
    run=run,
    order=30,
)
