"""`/action list [mine|overdue|all]`: the review's actions grouped by AFI, just for you."""

from __future__ import annotations

from bot.improvement_actions.rules import group_by_afi, parse_list_filter, select_actions
from bot.improvement_actions.views import build_action_list
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.action_items import review_action_items

# response_url takes 5 posts; keep one spare for anything that follows.
MAX_LIST_MESSAGES = 4


def run(ctx: CommandContext) -> None:
    which = parse_list_filter(ctx.args)
    if which is None:
        ctx.reply(
            f"I don't know `/action list {ctx.shown_args}`. Try `/action list`, "
            "`/action list mine`, `/action list overdue` or `/action list all`."
        )
        return
    today = ctx.deps.today()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None:
            return
        items = review_action_items(session=session, review_id=review.id)
    chosen = select_actions(items, which, user_id=ctx.user_id, today=today)
    messages = build_action_list(group_by_afi(chosen), which=which, today=today, total=len(items))
    for text, blocks in messages[:MAX_LIST_MESSAGES]:
        ctx.reply(text, blocks)
    if len(messages) > MAX_LIST_MESSAGES:
        ctx.reply(
            "That's more than fits here. `/action plan` posts the whole plan to the channel, "
            "and `/action export` gives it as a spreadsheet."
        )


SUBCOMMAND = Subcommand(
    name="list",
    usage="/action list [mine | overdue | all]",
    summary="the review's open actions by AFI (or yours, the overdue ones, or all)",
    run=run,
    aliases=("ls",),
    order=20,
)
