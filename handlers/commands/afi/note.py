"""`/afi note <number> [text]`: record a finding against an AFI (opens the form, filled in)."""

from __future__ import annotations

from bot.findings.service import note_form
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    command = ctx.command
    view = note_form(
        ctx.deps,
        user_id=ctx.user_id,
        team_id=command.team_id,
        channel_id=command.channel_id,
        typed=ctx.typed_args,
        response_url=command.response_url,
    )
    ctx.open_modal(view)


SUBCOMMAND = Subcommand(
    name="note",
    usage="/afi note <number> [text]",
    summary="record a finding (strength, concern or option) against an area, never who said it",
    run=run,
    order=60,
)
