"""`/afi add <text>` adds an AFI at once; `/afi add` alone opens the modal."""

from __future__ import annotations

from bot.afis.duplicate_views import build_looks_like
from bot.afis.service import LooksLike, NewAfiRequest, add_area, add_form
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    command = ctx.command
    if not ctx.args:
        view = add_form(
            ctx.deps,
            channel_id=command.channel_id,
            user_id=ctx.user_id,
            response_url=command.response_url,
        )
        ctx.open_modal(view)
        return
    added = add_area(
        ctx.deps,
        NewAfiRequest(
            team_id=command.team_id,
            channel_id=command.channel_id,
            user_id=ctx.user_id,
            text=ctx.typed_args.strip(),
            request_key=command.trigger_id,
        ),
    )
    if isinstance(added, LooksLike):
        ctx.reply(*build_looks_like(added))
    else:
        ctx.reply(added if isinstance(added, str) else added.text)


SUBCOMMAND = Subcommand(
    name="add",
    usage="/afi add [text]",
    summary="add an area for improvement (no text opens a form with section and evidence)",
    run=run,
    order=10,
)
