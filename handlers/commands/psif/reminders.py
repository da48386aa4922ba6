"""`/psif reminders` lists the next 14 days; `/psif reminders off|on [kind]` (leads)."""

from __future__ import annotations

from bot.reminders.switches import switch_reminders
from bot.reminders.upcoming import upcoming_reminders
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    word, _, rest = ctx.args.strip().partition(" ")
    word, kind = word.lower(), rest.strip().lower()
    channel_id, user_id = ctx.command.channel_id, ctx.user_id
    if word in ("off", "on"):
        on = word == "on"
        ctx.reply(
            switch_reminders(ctx.deps, channel_id=channel_id, user_id=user_id, on=on, kind=kind)
        )
    elif not word:
        message = upcoming_reminders(ctx.deps, channel_id=channel_id, user_id=user_id)
        ctx.reply(message.text, message.blocks)
    else:
        ctx.reply(
            "Type `/psif reminders` to see what's coming, or `/psif reminders off` / "
            "`/psif reminders on` (optionally with a kind, e.g. `/psif reminders off digest`)."
        )


SUBCOMMAND = Subcommand(
    name="reminders",
    usage="/psif reminders [off|on [kind]]",
    summary="what reminders are coming in the next 14 days; leads switch them off or on",
    run=run,
    order=60,
)
