"""`/afi import`: turn the self-assessment's candidate areas for improvement into AFIs."""

from __future__ import annotations

from bot.afis.importing import import_candidates
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    ctx.reply(
        import_candidates(
            ctx.deps,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            response_url=ctx.command.response_url,
        )
    )


SUBCOMMAND = Subcommand(
    name="import",
    usage="/afi import",
    summary="add the self-assessment's candidate areas for improvement as AFIs",
    run=run,
    order=15,
)
