"""`/psif reminders` lists the next 14 days; `/psif reminders off|on [kind]` (leads);
`/psif snooze 7d | until 2027-03-10 | off` pauses your own reminders, e.g. for leave."""

from __future__ import annotations

from bot.reminders.service import snooze_reminders, switch_reminders, upcoming_reminders
from handlers.commands.router import CommandContext, Subcommand


def reminders(ctx: CommandContext) -> None:
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


def snooze(ctx: CommandContext) -> None:
    ctx.reply(snooze_reminders(ctx.deps, user_id=ctx.user_id, typed=ctx.args))


REMINDERS = Subcommand(
    name="reminders",
    usage="/psif reminders [off|on [kind]]",
    summary="what reminders are coming in the next 14 days; leads switch them off or on",
    run=reminders,
    order=60,
)
SNOOZE = Subcommand(
    name="snooze",
    usage="/psif snooze 7d | until 2027-03-10 | off",
    summary="pause your own reminders while you're away",
    run=snooze,
    order=61,
)
