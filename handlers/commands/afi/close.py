"""`/afi close [N]`: close the vote, rank the AFIs and prioritise the top N (by default the
number chosen when the vote started)."""

from __future__ import annotations

from bot.afis.vote_control import close_vote_now
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    close_vote_now(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        typed_top_n=ctx.args,
        response_url=ctx.command.response_url,
    )
    # Closed: the result in the channel names the closer; telling them again would be twice.


SUBCOMMAND = Subcommand(
    name="close",
    usage="/afi close [N]",
    summary="close the vote and prioritise the top N areas (as chosen when it started)",
    run=run,
    order=40,
)
