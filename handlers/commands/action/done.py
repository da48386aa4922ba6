"""`/action done <number>`: mark an action done without finding its card."""

from __future__ import annotations

from bot.improvement_actions.rules import ActionStatus, parse_action_number
from bot.improvement_actions.status_change import apply_status
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.improvement_actions import action_by_number


def run(ctx: CommandContext) -> None:
    number = parse_action_number(ctx.args)
    if number is None:
        ctx.reply("Say which action, for example `/action done 3`. `/action list` shows numbers.")
        return
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None:
            return
        action = action_by_number(session=session, review_id=review.id, number=number)
        action_id = action.id if action else None
    if action_id is None:
        ctx.reply(f"This review has no action {number}. `/action list all` shows every action.")
        return
    outcome = apply_status(
        ctx.deps, action_id=action_id, target=ActionStatus.DONE, user_id=ctx.user_id
    )
    if outcome.problem:
        ctx.reply(outcome.problem)
        return
    ctx.reply(f"✅ Action {number} is marked done. Its card in the channel is updated.")


SUBCOMMAND = Subcommand(
    name="done",
    usage="/action done <number>",
    summary="mark an action done",
    run=run,
    order=30,
)
