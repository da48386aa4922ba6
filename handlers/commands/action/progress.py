"""`/action progress <number> [red|amber|green] [note]`: a progress update without finding
the action's card; with only the number, the progress form opens."""

from __future__ import annotations

from bot.improvement_actions.access import check_may_manage
from bot.improvement_actions.action_form import note_problem
from bot.improvement_actions.modal import ActionMetadata
from bot.improvement_actions.progress import update_progress
from bot.improvement_actions.progress_modal import build_progress_modal
from bot.improvement_actions.rules import parse_progress_words, rag_text
from bot.slack.calls import open_view
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.improvement_actions import action_by_number

USAGE = (
    "Say which action, then its RAG status or a note or both, for example "
    "`/action progress 3 amber Waiting for the supplier's quote`. `/action list` shows numbers."
)


def run(ctx: CommandContext) -> None:
    words = parse_progress_words(ctx.typed_args)
    if words is None:
        ctx.reply(USAGE)
        return
    problem = note_problem(words.note)
    if problem:
        ctx.reply(problem)
        return
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None:
            return
        action = action_by_number(session=session, review_id=review.id, number=words.number)
        action_id = action.id if action else None
    if action_id is None:
        ctx.reply(f"This review has no action {words.number}. `/action list all` shows them all.")
        return
    if not words.note and words.rag is None:
        open_form(ctx, action_id, words.number)
        return
    change = update_progress(
        ctx.deps, action_id=action_id, user_id=ctx.user_id, note=words.note, rag=words.rag
    )
    if change.problem or change.item is None:
        ctx.reply(change.problem or "That action no longer exists.")
        return
    rag = f"Action {words.number} is now {rag_text(change.item.rag)}"
    if words.rag and words.note:
        saved = f"{rag}, and your note is saved."
    elif words.rag:
        saved = f"{rag}."
    else:
        saved = f"Your note on action {words.number} is saved."
    ctx.reply(f"📝 {saved} Its card in the channel is updated.")


def open_form(ctx: CommandContext, action_id: int, number: int) -> None:
    checked = check_may_manage(ctx.deps, action_id=action_id, user_id=ctx.user_id)
    if checked.problem or checked.item is None:
        ctx.reply(checked.problem or "That action no longer exists.")
        return
    metadata = ActionMetadata(
        review_id=checked.item.review_id,
        action_id=action_id,
        response_url=ctx.command.response_url or None,
    )
    open_view(
        ctx.client,
        trigger_id=ctx.command.trigger_id,
        view=build_progress_modal(item=checked.item, metadata=metadata),
        on_expired=lambda: ctx.reply(
            f"Slack took too long to open the form. Please type `/action progress {number}` again."
        ),
    )


SUBCOMMAND = Subcommand(
    name="progress",
    usage="/action progress <number> [red | amber | green] [note]",
    summary="note how an action is going and set its RAG status",
    run=run,
    aliases=("rag", "note", "update"),
    order=37,
)
