"""`/psif results`: post the aggregated self-assessment to the channel (a private one only);
`/psif results export`: send the requester the totals as CSV and Excel files."""

from __future__ import annotations

from bot.self_assessment.results_export import export_results
from bot.self_assessment.results_posting import post_channel_results
from handlers.commands.router import CommandContext, Subcommand

EXPORT = "export"


def run(ctx: CommandContext) -> None:
    command = ctx.command
    if ctx.args.lower() == EXPORT:
        answers = export_results(
            lambda: ctx.client, ctx.deps, channel_id=command.channel_id, user_id=ctx.user_id
        )
    elif not ctx.args:
        answers = post_channel_results(
            lambda: ctx.client,  # asked for once the person may see them: runs on after the ack
            ctx.deps,
            channel_id=command.channel_id,
            user_id=ctx.user_id,
            team_id=command.team_id,
        )
    else:
        answers = [
            "Type `/psif results` to post the self-assessment results here, or "
            "`/psif results export` to get them as spreadsheet files."
        ]
    for answer in answers:
        ctx.reply(answer)


SUBCOMMAND = Subcommand(
    name="results",
    usage="/psif results [export]",
    summary="once the self-assessment has closed: post its results here (private channels "
    "only), or get the totals as spreadsheets",
    run=run,
    order=32,
)
