"""`/psif forget-me`: remove yourself from the bot's records, after confirming."""

from __future__ import annotations

from bot.self_assessment.privacy_views import build_forget_me_confirmation
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    ctx.reply(*build_forget_me_confirmation())


SUBCOMMAND = Subcommand(
    name="forget-me",
    usage="/psif forget-me",
    summary="remove yourself from the bot's records (your answers stay anonymous)",
    run=run,
    order=90,
)
