"""`/action list [mine|overdue|all]`: the review's actions grouped by AFI, just for you."""

from __future__ import annotations

from bot.improvement_actions.listing import action_list
from bot.improvement_actions.rules import parse_list_filter
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    which = parse_list_filter(ctx.args)
    if which is None:
        ctx.reply(
            f"I don't know `/action list {ctx.shown_args}`. Try `/action list`, "
            "`/action list mine`, `/action list overdue` or `/action list all`."
        )
        return
    channel_id = ctx.command.channel_id
    for text, blocks in action_list(
        ctx.deps, channel_id=channel_id, user_id=ctx.user_id, which=which
    ):
        ctx.reply(text, blocks)


SUBCOMMAND = Subcommand(
    name="list",
    usage="/action list [mine | overdue | all]",
    summary="the review's open actions by AFI (or yours, the overdue ones, or all)",
    run=run,
    aliases=("ls",),
    order=20,
)
