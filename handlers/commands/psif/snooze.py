"""`/psif snooze 7d | until 2027-03-10 | off`: pause your own reminders, e.g. for leave."""

from __future__ import annotations

from bot.reminders.snooze import USAGE, SnoozeError, parse_snooze
from bot.slack.text import format_date
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.reminders import clear_snooze, paused_through, set_snooze


def run(ctx: CommandContext) -> None:
    today = ctx.deps.today()
    try:
        request = parse_snooze(ctx.args, today=today)
    except SnoozeError as error:
        ctx.reply(str(error))
        return
    with transaction(ctx.deps.sessions) as session:
        if request.off:
            stopped = clear_snooze(session=session, user_id=ctx.user_id)
            current = None
        elif request.paused_through is not None:
            set_snooze(
                session=session,
                user_id=ctx.user_id,
                paused_through=request.paused_through,
                now=ctx.deps.now(),
            )
            current = request.paused_through
        else:
            current = paused_through(session=session, user_id=ctx.user_id, today=today)
    if request.off:
        ctx.reply("🔔 Your reminders are back on." if stopped else "Your reminders weren't paused.")
    elif current is None:
        ctx.reply(f"Your reminders aren't paused. {USAGE}")
    else:
        ctx.reply(
            f"😴 Your own reminders are paused until the end of {format_date(current)}. "
            "Channel reminders carry on for everyone else. `/psif snooze off` ends it early."
        )


SUBCOMMAND = Subcommand(
    name="snooze",
    usage="/psif snooze 7d | until 2027-03-10 | off",
    summary="pause your own reminders while you're away",
    run=run,
    order=61,
)
