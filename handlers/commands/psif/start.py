"""`/psif start`: open the Appendix 1 modal for a new review."""

from __future__ import annotations

from bot.reviews.form import StartMetadata
from bot.reviews.opening import refuse_if_channel_has_review
from bot.reviews.start_modal import build_start_modal
from bot.slack.after_ack import TOO_SLOW
from bot.slack.calls import open_view
from bot.slack.channels import Privacy, channel_privacy, public_channel_warning
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    if ctx.command.in_direct_message:
        ctx.reply(
            "Start a review in the channel where the review team will work: "
            "create or open that channel, add me, then type `/psif start` there."
        )
        return
    view = build_start_modal(
        metadata=StartMetadata(
            channel_id=ctx.command.channel_id,
            team_id=ctx.command.team_id,
            response_url=ctx.command.response_url or None,
        ),
        checklists=ctx.deps.checklist_names,
    )
    refuse_if_channel_has_review(ctx.deps, channel_id=ctx.command.channel_id)
    # From here on the subcommand runs once acknowledged (see CommandContext.client): the
    # form opens first, then Slack is asked whether the channel is public.
    opened = open_view(
        ctx.client,
        trigger_id=ctx.command.trigger_id,
        view=view,
        on_expired=lambda: ctx.reply(TOO_SLOW),
    )
    # Asked after opening the form (a trigger lasts 3 seconds), before it is submitted.
    if opened and channel_privacy(ctx.client, ctx.command.channel_id)[0] is Privacy.PUBLIC:
        ctx.reply(public_channel_warning(ctx.command.channel_id))


SUBCOMMAND = Subcommand(
    name="start",
    usage="/psif start",
    summary="open a new peer collaborative improvement review in this channel",
    run=run,
    order=10,
)
