"""The team's `/psif` subcommands: `team` (leads add, remove and change leads) and `peers`
(the peer councils' answers; `peers edit` opens the form where leads record them)."""

from __future__ import annotations

from bot.team.service import peers_form, show_peers, team_command
from handlers.commands.router import CommandContext, Subcommand


def run_team(ctx: CommandContext) -> None:
    answer = team_command(
        ctx.deps,
        lambda: ctx.client,  # only asked for when adding people: runs on after the ack
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        typed=ctx.args,
        response_url=ctx.command.response_url or None,
    )
    ctx.reply(*answer)


def run_peers(ctx: CommandContext) -> None:
    word = ctx.args.strip().lower()
    if not word:
        ctx.reply(*show_peers(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id))
    elif word == "edit":
        form = peers_form(
            ctx.deps,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            response_url=ctx.command.response_url,
        )
        ctx.open_modal(form)
    else:
        ctx.reply(
            "`/psif peers` shows the peer councils and their answers; leads record them "
            "with `/psif peers edit`."
        )


SUBCOMMANDS = (
    Subcommand(
        name="team",
        usage="/psif team [add @a as peer|host|is [council] | remove @a | lead host|is @a]",
        summary="the review team by role; leads add and remove people and change leads",
        run=run_team,
        order=22,
    ),
    Subcommand(
        name="peers",
        usage="/psif peers [edit]",
        summary="the peer councils approached and what they said; leads record answers and add "
        "partner organisations",
        run=run_peers,
        order=23,
    ),
)
