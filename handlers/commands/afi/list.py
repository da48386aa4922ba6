"""`/afi list`: the review's AFIs, with edit, merge and withdraw where the user may."""

from __future__ import annotations

from bot.afis.rules import manageable_ids
from bot.afis.sections import sections_of
from bot.afis.views import build_afi_list
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.afi_votes import afis_with_latest_votes
from storage.repositories.reviews import roles_of


def run(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None:
            return
        ballot_info, items = afis_with_latest_votes(session=session, review_id=review.id)
        manageable = manageable_ids(items, ctx.user_id, roles_of(review, ctx.user_id))
        sections = sections_of(ctx.deps.checklists, review.checklist_id)
    text, blocks = build_afi_list(items, sections, ballot=ballot_info, manageable=manageable)
    ctx.reply(text, blocks)


SUBCOMMAND = Subcommand(
    name="list",
    usage="/afi list",
    summary="the areas for improvement with votes so far; edit, merge or withdraw from here",
    run=run,
    order=20,
)
