"""`/psif close` (with a confirmation listing open actions) and `/psif reopen`."""

from __future__ import annotations

from bot.reviews.service import propose_close, reopen
from handlers.commands.router import CommandContext, Subcommand


def run_close(ctx: CommandContext) -> None:
    answer = propose_close(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id)
    ctx.reply(answer.text, answer.blocks)


def run_reopen(ctx: CommandContext) -> None:
    answer = reopen(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        response_url=ctx.command.response_url,
    )
    ctx.reply(answer.text, answer.blocks)


SUBCOMMAND = Subcommand(
    name="close",
    usage="/psif close",
    summary="close the review once its plan is carried out (leads; it stays readable)",
    run=run_close,
    order=36,
)
REOPEN = Subcommand(
    name="reopen",
    usage="/psif reopen",
    summary="reopen this channel's closed review (leads)",
    run=run_reopen,
    order=37,
)
