"""`/afi add <text>` adds an AFI at once; `/afi add` alone opens the modal."""

from __future__ import annotations

from bot.afis.duplicate_views import build_looks_like
from bot.afis.rules import afi_text_problem
from bot.afis.sections import sections_of
from bot.afis.service import LooksLike, NewAfiRequest, add_area
from bot.afis.views import AfiFormMetadata, build_afi_modal
from bot.reviews.permissions import Operation
from bot.slack.calls import open_view
from bot.slack.text import escape_mrkdwn
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction


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
    added = add_area(
        ctx.deps,
        NewAfiRequest(
            team_id=ctx.command.team_id,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            text=text,
            request_key=ctx.command.trigger_id,
        ),
    )
    if isinstance(added, LooksLike):
        ctx.reply(*build_looks_like(added))
        return
    ctx.reply(added if isinstance(added, str) else added.text)


def open_add_modal(ctx: CommandContext) -> None:
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.ADD_AFI):
            return
        checklist_id = review.checklist_id
    metadata = AfiFormMetadata(
        channel_id=ctx.command.channel_id,
        response_url=ctx.command.response_url,
        checklist_id=checklist_id,
    )
    open_view(
        ctx.client,
        trigger_id=ctx.command.trigger_id,
        view=build_afi_modal(sections_of(ctx.deps.checklists, checklist_id), metadata),
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
