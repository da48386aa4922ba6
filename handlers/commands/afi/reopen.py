"""`/afi reopen`: re-open the last closed vote with its votes (recorded in the audit trail)."""

from __future__ import annotations

from bot.afis.vote_control import reopen_last_vote
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    ctx.reply(reopen_last_vote(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id))


SUBCOMMAND = Subcommand(
    name="reopen",
    usage="/afi reopen",
    summary="re-open the last vote (host lead, Improvement Service)",
    run=run,
    order=45,
)
