"""`/action`'s subcommands: log, list, done, edit, progress, plan and export."""

from __future__ import annotations

from bot.core.actions import parse_action_number
from bot.improvement_actions.service import (
    Press,
    action_list,
    log_form,
    mark_done,
    note_progress,
    numbered_form,
    parse_list_filter,
    parse_progress_words,
    post_plan,
    request_plan_export,
)
from handlers.commands.router import CommandContext, Subcommand

PROGRESS_USAGE = (
    "Say which action, then its RAG status or a note or both, for example "
    "`/action progress 3 amber Waiting for the supplier's quote`. `/action list` shows numbers."
)


def log(ctx: CommandContext) -> None:
    key_action = ctx.typed_args.strip()
    view, note = log_form(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        key_action=key_action,
        response_url=ctx.command.response_url or None,
    )
    ctx.open_modal(view, typed=key_action)
    if note:
        ctx.reply(note)


def list_actions(ctx: CommandContext) -> None:
    which = parse_list_filter(ctx.args)
    if which is None:
        ctx.reply(
            f"I don't know `/action list {ctx.shown_args}`. Try `/action list`, "
            "`/action list mine`, `/action list overdue` or `/action list all`."
        )
        return
    channel_id = ctx.command.channel_id
    for text, blocks in action_list(
        ctx.deps, channel_id=channel_id, user_id=ctx.user_id, which=which
    ):
        ctx.reply(text, blocks)


def _number(ctx: CommandContext, verb: str) -> int | None:
    number = parse_action_number(ctx.args)
    if number is None:
        ctx.reply(
            f"Say which action, for example `/action {verb} 3`. `/action list` shows numbers."
        )
    return number


def done(ctx: CommandContext) -> None:
    if (number := _number(ctx, "done")) is not None:
        channel_id = ctx.command.channel_id
        ctx.reply(mark_done(ctx.deps, channel_id=channel_id, user_id=ctx.user_id, number=number))


def open_form(ctx: CommandContext, number: int, pressed: Press) -> None:
    view = numbered_form(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        number=number,
        pressed=pressed,
        response_url=ctx.command.response_url or None,
    )
    ctx.open_modal(view)


def edit(ctx: CommandContext) -> None:
    if (number := _number(ctx, "edit")) is not None:
        open_form(ctx, number, Press.EDIT)


def progress(ctx: CommandContext) -> None:
    """With only the number, the progress form opens."""
    words = parse_progress_words(ctx.typed_args)
    if words is None:
        ctx.reply(PROGRESS_USAGE)
    elif words.note or words.rag is not None:
        channel_id = ctx.command.channel_id
        ctx.reply(note_progress(ctx.deps, channel_id=channel_id, user_id=ctx.user_id, words=words))
    else:
        open_form(ctx, words.number, Press.PROGRESS)


def plan(ctx: CommandContext) -> None:
    command = ctx.command
    for note in post_plan(
        ctx.deps,
        channel_id=command.channel_id,
        user_id=ctx.user_id,
        response_url=command.response_url,
    ):
        ctx.reply(note)


def export(ctx: CommandContext) -> None:
    ctx.reply(
        request_plan_export(
            ctx.deps,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            response_url=ctx.command.response_url or None,
        )
    )


SUBCOMMANDS: tuple[Subcommand, ...] = (
    Subcommand(
        name="log",
        usage="/action log [what needs to happen]",
        summary="log an improvement action: its AFI, owner, due date, risks, measure and outcome",
        run=log,
        aliases=("add", "new"),
        order=10,
    ),
    Subcommand(
        name="list",
        usage="/action list [mine | overdue | all]",
        summary="the review's open actions by AFI (or yours, the overdue ones, or all)",
        run=list_actions,
        aliases=("ls",),
        order=20,
    ),
    Subcommand(
        name="done",
        usage="/action done <number>",
        summary="mark an action done",
        run=done,
        order=30,
    ),
    Subcommand(
        name="edit",
        usage="/action edit <number>",
        summary="change an action's details, owner or due date",
        run=edit,
        order=35,
    ),
    Subcommand(
        name="progress",
        usage="/action progress <number> [red | amber | green] [note]",
        summary="note how an action is going and set its RAG status",
        run=progress,
        aliases=("rag", "note", "update"),
        order=37,
    ),
    Subcommand(
        name="plan",
        usage="/action plan",
        summary="post the whole improvement plan to the channel, grouped by AFI",
        run=plan,
        order=40,
    ),
    Subcommand(
        name="export",
        usage="/action export",
        summary="the improvement plan as a spreadsheet (Excel and CSV), with every column",
        run=export,
        aliases=("csv", "xlsx", "excel"),
        order=50,
    ),
)
