"""`/afi vote` (host lead or Improvement Service): choose the vote's settings in a modal."""

from __future__ import annotations

from bot.afis.vote_views import VoteFormMetadata, build_vote_modal
from bot.reviews.permissions import Operation
from bot.slack.calls import open_view
from bot.slack.text import plural
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.afi_votes import open_round
from storage.repositories.afis import afi_facts

MIN_AFIS_TO_VOTE = 2


def run(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.RUN_VOTE):
            return
        if open_round(session=session, review_id=review.id) is not None:
            ctx.reply(
                "A vote is already open in this channel: use its message to vote, and "
                "`/afi close` to close it."
            )
            return
        afi_count = afi_facts(session=session, review_id=review.id).afi_count
    if afi_count < MIN_AFIS_TO_VOTE:
        ctx.reply(
            f"There {'is' if afi_count == 1 else 'are'} only "
            f"{plural(afi_count, 'area', 'areas')} for improvement so far: a vote needs at "
            "least two. Add them with `/afi add`."
        )
        return
    open_view(
        ctx.client,
        trigger_id=ctx.command.trigger_id,
        view=build_vote_modal(
            afi_count,
            VoteFormMetadata(
                channel_id=ctx.command.channel_id, response_url=ctx.command.response_url
            ),
        ),
        on_expired=lambda: ctx.reply(
            "Slack took too long to open the form; type `/afi vote` again."
        ),
    )


SUBCOMMAND = Subcommand(
    name="vote",
    usage="/afi vote",
    summary="start a dot vote on the areas for improvement (host lead, Improvement Service)",
    run=run,
    order=30,
)
