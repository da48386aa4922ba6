"""The team's `/psif` subcommands: `team`, `peers` (`edit` opens the leads' form) and
`participants` (`send` gives them the papers and the schedule)."""

from __future__ import annotations

from bot.papers.service import send_to_host_participants
from bot.team.service import participants_command, peers_form, show_peers, team_command
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


def run_participants(ctx: CommandContext) -> None:
    command = ctx.command
    if ctx.args.strip().lower() == "send":
        ctx.reply(
            send_to_host_participants(
                ctx.deps,
                team_id=command.team_id,
                channel_id=command.channel_id,
                user_id=ctx.user_id,
                response_url=command.response_url or None,
            )
        )
        return
    answer = participants_command(
        ctx.deps,
        lambda: ctx.client,  # only asked for when adding people: runs on after the ack
        channel_id=command.channel_id,
        user_id=ctx.user_id,
        typed=ctx.args,
        response_url=command.response_url or None,
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
        name="participants",
        usage="/psif participants [add @a @b | remove @a | send]",
        summary="the host's officers taking part in fieldwork; leads add them and send them "
        "the papers and the fieldwork schedule",
        run=run_participants,
        order=24,
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
