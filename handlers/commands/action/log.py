"""`/action log [key action]`: open the modal to log an improvement action."""

from __future__ import annotations

from bot.improvement_actions.modal import ActionMetadata, build_action_modal
from bot.improvement_actions.rules import KEY_ACTION_MAX
from bot.reviews.permissions import Operation
from bot.slack.calls import open_view
from bot.slack.text import escape_mrkdwn
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.action_afi_choices import afi_choices
from storage.repositories.findings import option_choices


def run(ctx: CommandContext) -> None:
    key_action = ctx.typed_args.strip()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.LOG_ACTION):
            return
        prioritised, others = afi_choices(session=session, review_id=review.id)
        options = option_choices(session=session, review_id=review.id)
        metadata = ActionMetadata(
            review_id=review.id,
            response_url=ctx.command.response_url or None,
        )
    view = build_action_modal(
        metadata=metadata,
        prioritised=prioritised,
        others=others,
        key_action=key_action,
        options=options,
    )
    open_view(
        ctx.client,
        trigger_id=ctx.command.trigger_id,
        view=view,
        on_expired=lambda: ctx.reply(
            "Slack took too long to open the form. Please type `/action log` again."
            + (f" What you typed:\n```{escape_mrkdwn(key_action)}```" if key_action else "")
        ),
    )
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
