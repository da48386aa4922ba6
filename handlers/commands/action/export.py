"""`/action export`: the improvement plan as an Excel workbook and a CSV file."""

from __future__ import annotations

from bot.improvement_actions.plan import request_plan_export
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    ctx.reply(
        request_plan_export(
            ctx.deps,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            response_url=ctx.command.response_url or None,
        )
    )


SUBCOMMAND = Subcommand(
    name="export",
    usage="/action export",
    summary="the improvement plan as a spreadsheet (Excel and CSV), with every column",
    run=run,
    aliases=("csv", "xlsx", "excel"),
    order=50,
)
