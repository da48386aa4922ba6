"""`/action progress <number> [red|amber|green] [note]`: a progress update without finding
the action's card; with only the number, the progress form opens."""

from __future__ import annotations

from bot.improvement_actions.forms import ActionForm, numbered_change_form
from bot.improvement_actions.progress import note_progress
from bot.improvement_actions.rules import parse_progress_words
from handlers.commands.router import CommandContext, Subcommand

USAGE = (
    "Say which action, then its RAG status or a note or both, for example "
    "`/action progress 3 amber Waiting for the supplier's quote`. `/action list` shows numbers."
)


def run(ctx: CommandContext) -> None:
    words = parse_progress_words(ctx.typed_args)
    if words is None:
        ctx.reply(USAGE)
    elif words.note or words.rag is not None:
        channel_id = ctx.command.channel_id
        ctx.reply(note_progress(ctx.deps, channel_id=channel_id, user_id=ctx.user_id, words=words))
    else:
        view = numbered_change_form(
            ctx.deps,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            number=words.number,
            form=ActionForm.PROGRESS,
            response_url=ctx.command.response_url or None,
        )
        ctx.open_modal(view)


SUBCOMMAND = Subcommand(
    name="progress",
    usage="/action progress <number> [red | amber | green] [note]",
    summary="note how an action is going and set its RAG status",
    run=run,
    aliases=("rag", "note", "update"),
    order=37,
)
