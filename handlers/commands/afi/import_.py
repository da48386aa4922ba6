"""`/afi import` opens a form to word and choose the self-assessment's candidate areas for
improvement; `/afi import all` adds every one as worded."""

from __future__ import annotations

from bot.afis.importing import import_candidates, import_form
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    where = {
        "channel_id": ctx.command.channel_id,
        "user_id": ctx.user_id,
        "response_url": ctx.command.response_url,
    }
    if ctx.typed_args.strip().lower() == "all":
        ctx.reply(import_candidates(ctx.deps, **where))
        return
    form = import_form(ctx.deps, **where)
    if isinstance(form, str):
        ctx.reply(form)
        return
    ctx.open_modal(form)


SUBCOMMAND = Subcommand(
    name="import",
    usage="/afi import [all]",
    summary="choose and word the self-assessment's candidate areas for improvement "
    "(`all` adds every one as worded)",
    run=run,
    order=15,
)
