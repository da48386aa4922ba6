"""`/psif peers`: the peer councils and their answers (review team); `/psif peers edit`
opens the form where leads record them."""

from __future__ import annotations

from bot.reviews.answers import Answer
from bot.team.peer_service import peers_form, show_peers
from handlers.commands.router import CommandContext, Subcommand

EDIT = "edit"


def run(ctx: CommandContext) -> None:
    word = ctx.args.strip().lower()
    channel_id, user_id = ctx.command.channel_id, ctx.user_id
    if not word:
        answer = show_peers(ctx.deps, channel_id=channel_id, user_id=user_id)
        ctx.reply(answer.text, answer.blocks)
        return
    if word != EDIT:
        ctx.reply(
            "`/psif peers` shows the peer councils and their answers; leads record them "
            "with `/psif peers edit`."
        )
        return
    form = peers_form(
        ctx.deps, channel_id=channel_id, user_id=user_id, response_url=ctx.command.response_url
    )
    if isinstance(form, Answer):
        ctx.reply(form.text, form.blocks)
        return
    ctx.open_modal(form)


SUBCOMMAND = Subcommand(
    name="peers",
    usage="/psif peers [edit]",
    summary="the peer councils approached and what they said; leads record answers and add "
    "partner organisations",
    run=run,
    order=23,
)
