"""`/psif status`: stage, timeline with what is next, and the team."""

from __future__ import annotations

from bot.reviews.status import review_status
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    ctx.reply(*review_status(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id))


SUBCOMMAND = Subcommand(
    name="status",
    usage="/psif status",
    summary="where the review stands: stage, what's next, the team",
    run=run,
    order=20,
)
