"""`/action edit <number>`: open an action's edit modal without finding its card."""

from __future__ import annotations

from bot.improvement_actions.forms import ActionForm, numbered_change_form
from bot.improvement_actions.rules import parse_action_number
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    number = parse_action_number(ctx.args)
    if number is None:
        ctx.reply("Say which action, for example `/action edit 3`. `/action list` shows numbers.")
        return
    view = numbered_change_form(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        number=number,
        form=ActionForm.EDIT,
        response_url=ctx.command.response_url or None,
    )
    ctx.open_modal(view)


SUBCOMMAND = Subcommand(
    name="edit",
    usage="/action edit <number>",
    summary="change an action's details, owner or due date",
    run=run,
    order=35,
)
