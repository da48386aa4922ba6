"""`/afi close [N]`: close the vote, rank the AFIs and prioritise the top N (default 5)."""

from __future__ import annotations

from bot.afis.rules import parse_top_n
from bot.afis.tally import owe_tally
from bot.afis.vote_views import build_vote_result
from bot.reviews.permissions import Operation
from bot.slack.deliveries import owe_message
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.afi_votes import close_vote, latest_round
from storage.repositories.afis import afi_item, list_afis


def run(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.RUN_VOTE):
            return  # who may act comes before what they typed
        top_n = parse_top_n(ctx.args)
        if isinstance(top_n, str):
            ctx.reply(top_n)
            return
        closed = close_vote(
            session=session, review=review, top_n=top_n, actor_id=ctx.user_id, now=ctx.deps.now()
        )
        if closed is None:
            held_before = latest_round(session=session, review_id=review.id) is not None
            ctx.reply(
                "No vote is open. "
                + (
                    "Re-open the last one with `/afi reopen`, or start a new one with `/afi vote`."
                    if held_before
                    else "Start one with `/afi vote`."
                )
            )
            return
        vote_round, ranked = closed
        items = {
            afi.number: afi_item(afi) for afi in list_afis(session=session, review_id=review.id)
        }
        owe_tally(
            session,
            team_id=review.team_id,
            round_id=vote_round.id,
            interval=ctx.deps.settings.afi_tally_interval_seconds,
        )
        messages = build_vote_result(ranked, items, top_n=top_n, closed_by=ctx.user_id)
        for text, blocks in messages:
            owe_message(
                session,
                team_id=review.team_id,
                channel=vote_round.channel_id,
                text=text,
                blocks=blocks,
                if_undelivered={
                    "user_id": ctx.user_id,
                    "response_url": ctx.command.response_url,
                    "text": "The vote is closed and the ranking saved, but I couldn't post it.",
                },
            )
    ctx.reply("Vote closed; the ranking is being posted in the channel.")


SUBCOMMAND = Subcommand(
    name="close",
    usage="/afi close [N]",
    summary="close the vote and prioritise the top N areas (default 5)",
    run=run,
    order=40,
)
