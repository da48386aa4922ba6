"""`/psif help` (also shown for `/psif` alone and for words the bot doesn't know)."""

from __future__ import annotations

from bot.slack.help import build_help
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    text, blocks = build_help(ctx.all_help(), topic=ctx.args)
    ctx.reply(text, blocks)


SUBCOMMAND = Subcommand(
    name="help",
    usage="/psif help [command]",
    summary="the commands, or more on one (`/psif help team`, `/psif help afi vote`)",
    run=run,
    order=99,
)
