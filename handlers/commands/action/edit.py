"""`/action edit <number>`: open an action's edit modal without finding its card."""

from __future__ import annotations

from bot.improvement_actions.access import check_may_manage
from bot.improvement_actions.modal import ActionMetadata, build_action_modal
from bot.improvement_actions.rules import parse_action_number
from bot.slack.calls import open_view
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.action_afi_choices import afi_choices
from storage.repositories.findings import option_choices, option_of_action
from storage.repositories.improvement_actions import action_by_number


def run(ctx: CommandContext) -> None:
    number = parse_action_number(ctx.args)
    if number is None:
        ctx.reply("Say which action, for example `/action edit 3`. `/action list` shows numbers.")
        return
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None:
            return
        action = action_by_number(session=session, review_id=review.id, number=number)
        action_id = action.id if action else None
        prioritised, others = afi_choices(session=session, review_id=review.id)
        options = option_choices(session=session, review_id=review.id)
        chosen = option_of_action(session=session, action_id=action_id) if action_id else None
    if action_id is None:
        ctx.reply(f"This review has no action {number}. `/action list all` shows every action.")
        return
    checked = check_may_manage(ctx.deps, action_id=action_id, user_id=ctx.user_id)
    if checked.problem or checked.item is None:
        ctx.reply(checked.problem or "That action no longer exists.")
        return
    metadata = ActionMetadata(
        review_id=checked.item.review_id,
        action_id=action_id,
        response_url=ctx.command.response_url or None,
    )
    open_view(
        ctx.client,
        trigger_id=ctx.command.trigger_id,
        view=build_action_modal(
            metadata=metadata,
            prioritised=prioritised,
            others=others,
            existing=checked.item,
            options=options,
            chosen_option=chosen,
        ),
        on_expired=lambda: ctx.reply(
            f"Slack took too long to open the form. Please type `/action edit {number}` again."
        ),
    )


SUBCOMMAND = Subcommand(
    name="edit",
    usage="/action edit <number>",
    summary="change an action's details, owner or due date",
    run=run,
    order=35,
)
