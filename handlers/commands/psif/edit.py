"""`/psif edit`: leads reopen the Appendix 1 form with the review's current details."""

from __future__ import annotations

from bot.reviews.answers import Answer
from bot.reviews.edit_service import edit_form
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    form = edit_form(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        response_url=ctx.command.response_url,
    )
    if isinstance(form, Answer):
        ctx.reply(form.text, form.blocks)
        return
    ctx.open_modal(form)


SUBCOMMAND = Subcommand(
    name="edit",
    usage="/psif edit",
    summary="change the review's Appendix 1 details and dates (leads); reminders follow",
    run=run,
    order=21,
)
