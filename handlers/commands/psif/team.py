"""`/psif team`: show the team; leads add, remove and change leads."""

from __future__ import annotations

from bot.team.service import team_command
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    answer = team_command(
        ctx.deps,
        lambda: ctx.client,  # only asked for when changing the team: runs on after the ack
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        typed=ctx.args,
        response_url=ctx.command.response_url or None,
    )
    ctx.reply(answer.text, answer.blocks)


SUBCOMMAND = Subcommand(
    name="team",
    usage="/psif team [add @a as peer|host|is [council] | remove @a | lead host|is @a]",
    summary="the review team by role; leads add and remove people and change leads",
    run=run,
    order=22,
)
