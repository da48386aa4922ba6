"""`/action done <number>`: mark an action done without finding its card."""

from __future__ import annotations

from bot.improvement_actions.rules import parse_action_number
from bot.improvement_actions.status_change import mark_done
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    number = parse_action_number(ctx.args)
    if number is None:
        ctx.reply("Say which action, for example `/action done 3`. `/action list` shows numbers.")
        return
    ctx.reply(
        mark_done(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id, number=number)
    )


SUBCOMMAND = Subcommand(
    name="done",
    usage="/action done <number>",
    summary="mark an action done",
    run=run,
    order=30,
)
