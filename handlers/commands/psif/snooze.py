"""`/psif snooze 7d | until 2027-03-10 | off`: pause your own reminders, e.g. for leave."""

from __future__ import annotations

from bot.reminders.switches import snooze_reminders
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    ctx.reply(snooze_reminders(ctx.deps, user_id=ctx.user_id, typed=ctx.args))


SUBCOMMAND = Subcommand(
    name="snooze",
    usage="/psif snooze 7d | until 2027-03-10 | off",
    summary="pause your own reminders while you're away",
    run=run,
    order=61,
)
