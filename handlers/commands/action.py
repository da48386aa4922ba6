"""`/action`'s subcommands: log, list, done, edit, progress, plan and export. Each docstring
is its summary in `/psif help`."""

from __future__ import annotations

from bot.core.actions import parse_action_number
from bot.improvement_actions import service as actions
from bot.slack.text import escape_mrkdwn
from handlers.commands.router import CommandContext, subcommand

PROGRESS_USAGE = (
    "Say which action, then its RAG status or a note or both, for example "
    "`/action progress 3 amber Waiting for the supplier's quote`. `/action list` shows numbers."
)


@subcommand("/action log [what needs to happen]", order=10, aliases=("add", "new"))
def log(ctx: CommandContext) -> None:
    """log an improvement action: its AFI, owner, due date, risks, measure and outcome"""
    key_action = ctx.typed_args.strip()
    url = ctx.response_url or None
    view, note = actions.log_form(ctx.deps, **ctx.here, key_action=key_action, response_url=url)
    ctx.open_modal(view, typed=key_action)
    if note:
        ctx.reply(note)


@subcommand("/action list [mine | overdue | all]", order=20, aliases=("ls",))
def list_actions(ctx: CommandContext) -> None:
    """the review's open actions by AFI (or yours, the overdue ones, or all)"""
    which = actions.parse_list_filter(ctx.args)
    if which is None:
        ctx.reply(
            f"I don't know `/action list {escape_mrkdwn(ctx.typed_args)}`. Try `/action list`, "
            "`/action list mine`, `/action list overdue` or `/action list all`."
        )
        return
    for text, blocks in actions.action_list(ctx.deps, **ctx.here, which=which):
        ctx.reply(text, blocks)


def _number(ctx: CommandContext, verb: str) -> int | None:
    number = parse_action_number(ctx.args)
    if number is None:
        ctx.reply(
            f"Say which action, for example `/action {verb} 3`. `/action list` shows numbers."
        )
    return number


def _open_form(ctx: CommandContext, number: int, pressed: actions.Press) -> None:
    url = ctx.response_url or None
    ctx.open_modal(
        actions.numbered_form(
            ctx.deps, **ctx.here, number=number, pressed=pressed, response_url=url
        )
    )


@subcommand("/action done <number>", order=30)
def done(ctx: CommandContext) -> None:
    """mark an action done"""
    if (number := _number(ctx, "done")) is not None:
        ctx.reply(actions.mark_done(ctx.deps, **ctx.here, number=number))


@subcommand("/action edit <number>", order=35)
def edit(ctx: CommandContext) -> None:
    """change an action's details, owner or due date"""
    if (number := _number(ctx, "edit")) is not None:
        _open_form(ctx, number, actions.Press.EDIT)


@subcommand(
    "/action progress <number> [red | amber | green] [note]",
    order=37,
    aliases=("rag", "note", "update"),
)
def progress(ctx: CommandContext) -> None:
    """note how an action is going and set its RAG status"""
    # With only the number, the progress form opens.
    words = actions.parse_progress_words(ctx.typed_args)
    if words is None:
        ctx.reply(PROGRESS_USAGE)
    elif words.note or words.rag is not None:
        ctx.reply(actions.note_progress(ctx.deps, **ctx.here, words=words))
    else:
        _open_form(ctx, words.number, actions.Press.PROGRESS)


@subcommand("/action plan", order=40)
def plan(ctx: CommandContext) -> None:
    """post the whole improvement plan to the channel, grouped by AFI"""
    for note in actions.post_plan(ctx.deps, **ctx.here, response_url=ctx.response_url):
        ctx.reply(note)


@subcommand("/action export", order=50, aliases=("csv", "xlsx", "excel"))
def export(ctx: CommandContext) -> None:
    """the improvement plan as a spreadsheet (Excel and CSV), with every column"""
    url = ctx.response_url or None
    ctx.reply(actions.request_plan_export(ctx.deps, **ctx.here, response_url=url))


SUBCOMMANDS = (log, list_actions, done, edit, progress, plan, export)
