"""`/afi add <text>` adds an AFI at once; `/afi add` alone opens the modal."""

from __future__ import annotations

from bot.afis.rules import afi_text_problem
from bot.afis.sections import psif_sections
from bot.afis.tally import tally_refresher
from bot.afis.views import AfiFormMetadata, afi_added_text, build_afi_modal
from bot.reviews.permissions import Operation
from bot.slack.calls import open_view
from bot.slack.text import escape_mrkdwn
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.afi_votes import open_round
from storage.repositories.afis import NewAfi, add_afi, afi_item
from storage.repositories.reviews import record_audit


def run(ctx: CommandContext) -> None:
    if not ctx.args:
        open_add_modal(ctx)
        return
    text = ctx.typed_args.strip()
    problem = afi_text_problem(text)
    if problem:
        typed = escape_mrkdwn(text)
        ctx.reply(f"{problem}\nNothing was added. What you typed:\n```{typed}```")
        return
    now = ctx.deps.now()
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.ADD_AFI):
            return
        afi = add_afi(
            session=session,
            review_id=review.id,
            new=NewAfi(text=text, author_id=ctx.user_id),
            now=now,
        )
        record_audit(
            session=session,
            review=review,
            actor_id=ctx.user_id,
            action="afi.added",
            details={"number": afi.number},
            now=now,
        )
        item = afi_item(afi)
        vote_round = open_round(session=session, review_id=review.id)
    ctx.reply(afi_added_text(item))
    if vote_round is not None:
        tally_refresher(ctx.deps).request(vote_round.id)


def open_add_modal(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.ADD_AFI):
            return
    metadata = AfiFormMetadata(ctx.command.channel_id, ctx.command.response_url)
    open_view(
        ctx.client,
        trigger_id=ctx.command.trigger_id,
        view=build_afi_modal(psif_sections(), metadata),
        on_expired=lambda: ctx.reply(
            "Slack took too long to open the form. Please type `/afi add` again, or add "
            "the text straight after it: `/afi add Staff don't get regular feedback`."
        ),
    )


SUBCOMMAND = Subcommand(
    name="add",
    usage="/afi add [text]",
    summary="add an area for improvement (no text opens a form with section and evidence)",
    run=run,
    order=10,
)
