"""`/afi list`: the review's AFIs, with edit, merge and withdraw where the user may."""

from __future__ import annotations

from bot.afis.listing import afi_list
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    ctx.reply(*afi_list(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id))


SUBCOMMAND = Subcommand(
    name="list",
    usage="/afi list",
    summary="the areas for improvement with votes so far; edit, merge or withdraw from here",
    run=run,
    order=20,
)
