"""`/psif stage` shows the stage and its gaps; `/psif stage next` moves on after confirming."""

from __future__ import annotations

from bot.reviews.service import stage_overview
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    wants_next = ctx.args.lower() in ("next", "advance")
    if ctx.args and not wants_next:
        ctx.reply("Type `/psif stage` to see the stage, or `/psif stage next` to move on.")
        return
    answer = stage_overview(
        ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id, wants_next=wants_next
    )
    ctx.reply(answer.text, answer.blocks)


SUBCOMMAND = Subcommand(
    name="stage",
    usage="/psif stage [next]",
    summary="what the current stage still needs; `next` moves on (leads)",
    run=run,
    order=30,
)
