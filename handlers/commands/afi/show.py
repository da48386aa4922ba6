"""`/afi show <number>`: an AFI with its figures, votes, findings, options and actions."""

from __future__ import annotations

from bot.core.actions import parse_action_number
from bot.findings.service import show_afi
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    number = parse_action_number(ctx.args)
    if number is None:
        ctx.reply("Say which area to show, for example `/afi show 3`.")
        return
    text, blocks = show_afi(
        ctx.deps,
        user_id=ctx.user_id,
        team_id=ctx.command.team_id,
        channel_id=ctx.command.channel_id,
        number=number,
    )
    ctx.reply(text, blocks)


SUBCOMMAND = Subcommand(
    name="show",
    usage="/afi show <number>",
    summary="one area with the figures behind it, its votes, findings, options and actions",
    run=run,
    order=25,
)
