"""`/psif done <milestone>`: record a timeline milestone done, which stops its reminders."""

from __future__ import annotations

from bot.reviews.milestone_service import milestone_done
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    ctx.reply(
        milestone_done(
            ctx.deps,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            word=ctx.typed_args.strip(),
        )
    )


SUBCOMMAND = Subcommand(
    name="done",
    usage="/psif done <milestone>",
    summary="record a timeline milestone done (e.g. `papers`), which stops its reminders",
    run=run,
    order=40,
)
