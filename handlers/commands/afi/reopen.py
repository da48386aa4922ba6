"""`/afi reopen`: re-open the last closed vote with its votes (recorded in the audit trail)."""

from __future__ import annotations

from bot.afis.tally import owe_tally
from bot.reviews.permissions import Operation
from bot.slack.blocks import section
from bot.slack.deliveries import owe_message
from bot.slack.text import mention
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.afi_votes import open_round, reopen_vote


def run(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.RUN_VOTE):
            return
        if open_round(session=session, review_id=review.id) is not None:
            ctx.reply("The vote is already open.")
            return
        vote_round = reopen_vote(
            session=session, review=review, actor_id=ctx.user_id, now=ctx.deps.now()
        )
        if vote_round is None:
            ctx.reply("There is no earlier vote to re-open. Start one with `/afi vote`.")
            return
        owe_tally(
            session,
            team_id=review.team_id,
            round_id=vote_round.id,
            interval=ctx.deps.settings.afi_tally_interval_seconds,
        )
        text = (
            f"{mention(ctx.user_id)} re-opened the vote on the areas for improvement: the votes "
            "cast so far still count, and the voting message above works again. "
            "The prioritised list is updated when the vote is closed again."
        )
        owe_message(
            session,
            team_id=review.team_id,
            channel=vote_round.channel_id,
            text=text,
            blocks=[section(text)],
        )
    ctx.reply("The vote is open again.")


SUBCOMMAND = Subcommand(
    name="reopen",
    usage="/afi reopen",
    summary="re-open the last vote (host lead, Improvement Service)",
    run=run,
    order=45,
)
