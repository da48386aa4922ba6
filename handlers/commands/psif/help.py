"""`/psif help` (also shown for `/psif` alone and for words the bot doesn't know)."""

from __future__ import annotations

from bot.slack.help import build_help
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    text, blocks = build_help(ctx.all_help())
    ctx.reply(text, blocks)


SUBCOMMAND = Subcommand(
    name="help",
    usage="/psif help",
    summary="this list of commands",
    run=run,
    order=99,
)
