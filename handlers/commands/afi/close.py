"""`/afi close [N]`: close the vote, rank the AFIs and prioritise the top N (by default the
number chosen when the vote started)."""

from __future__ import annotations

from bot.afis.rules import parse_top_n
from bot.afis.vote_closing import close_open_vote
from bot.reviews.permissions import Operation
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.afi_votes import latest_round


def run(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.RUN_VOTE):
            return  # who may act comes before what they typed
        top_n = parse_top_n(ctx.args) if ctx.args.strip() else None
        if isinstance(top_n, str):
            ctx.reply(top_n)
            return
        closed = close_open_vote(
            session,
            ctx.deps,
            review,
            top_n=top_n,
            closer=ctx.user_id,
            response_url=ctx.command.response_url,
        )
        if not closed:
            held_before = latest_round(session=session, review_id=review.id) is not None
            ctx.reply(
                "No vote is open. "
                + (
                    "Re-open the last one with `/afi reopen`, or start a new one with `/afi vote`."
                    if held_before
                    else "Start one with `/afi vote`."
                )
            )
    # Closed: the result in the channel names the closer; telling them again would be twice.


SUBCOMMAND = Subcommand(
    name="close",
    usage="/afi close [N]",
    summary="close the vote and prioritise the top N areas (as chosen when it started)",
    run=run,
    order=40,
)
