"""`/action log [key action]`: open the modal to log an improvement action."""

from __future__ import annotations

from bot.improvement_actions.forms import log_form
from bot.improvement_actions.rules import KEY_ACTION_MAX
from bot.slack.text import escape_mrkdwn
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    key_action = ctx.typed_args.strip()
    view = log_form(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        key_action=key_action,
        response_url=ctx.command.response_url or None,
    )
    ctx.open_modal(view, typed=key_action)
    if len(key_action) > KEY_ACTION_MAX:
        ctx.reply(
            f"A key action holds up to {KEY_ACTION_MAX} characters, so the form has the start "
            "of what you typed. Here it is in full, to copy the rest into risks, measure or "
            f"outcome:\n```{escape_mrkdwn(key_action)}```"
        )


SUBCOMMAND = Subcommand(
    name="log",
    usage="/action log [what needs to happen]",
    summary="log an improvement action: its AFI, owner, due date, risks, measure and outcome",
    run=run,
    aliases=("add", "new"),
    order=10,
)
