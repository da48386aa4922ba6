"""`/psif team`: show the team; leads add, remove and change leads."""

from __future__ import annotations

from bot.team.rules import ShowTeam, parse_team_request
from bot.team.service import change_team, show_team
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    request = parse_team_request(ctx.args)
    if isinstance(request, str):
        ctx.reply(request)
        return
    where = {"channel_id": ctx.command.channel_id, "user_id": ctx.user_id}
    if isinstance(request, ShowTeam):
        answer = show_team(ctx.deps, **where)
    else:
        answer = change_team(
            ctx.deps,
            ctx.client,
            request=request,
            response_url=ctx.command.response_url or None,
            **where,
        )
    ctx.reply(answer.text, answer.blocks)


SUBCOMMAND = Subcommand(
    name="team",
    usage="/psif team [add @a as peer|host|is [council] | remove @a | lead host|is @a]",
    summary="the review team by role; leads add and remove people and change leads",
    run=run,
    order=22,
)
