"""`/action export`: the improvement plan as an Excel workbook and a CSV file."""

from __future__ import annotations

from bot.improvement_actions.plan_export import owe_plan_export
from bot.reviews.permissions import Operation
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.improvement_actions import action_counts


def run(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.SEE_PLAN):
            return
        total, _ = action_counts(session=session, review_id=review.id)
        if total:
            owe_plan_export(
                session,
                review=review,
                user_id=ctx.user_id,
                response_url=ctx.command.response_url or None,
            )
    if not total:
        ctx.reply("No actions have been logged yet, so there's nothing to export.")
        return
    ctx.reply(
        "I'm putting the plan into a spreadsheet. It'll appear in this channel in a moment, "
        "as an Excel workbook and a CSV file."
    )


SUBCOMMAND = Subcommand(
    name="export",
    usage="/action export",
    summary="the improvement plan as a spreadsheet (Excel and CSV), with every column",
    run=run,
    aliases=("csv", "xlsx", "excel"),
    order=50,
)
