"""The review's `/psif` subcommands: start, status, edit, stage, done, close and reopen."""

from __future__ import annotations

from bot.reviews.service import (
    edit_form,
    milestone_done,
    propose_close,
    reopen,
    review_status,
    stage_overview,
    start_form,
)
from handlers.commands.router import CommandContext, Subcommand


def run_start(ctx: CommandContext) -> None:
    # Slack is asked (the form opened, the channel's privacy) once acknowledged.
    warning = start_form(ctx.deps, lambda: ctx.client, command=ctx.command)
    if warning:
        ctx.reply(warning)


def run_status(ctx: CommandContext) -> None:
    ctx.reply(*review_status(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id))


def run_edit(ctx: CommandContext) -> None:
    ctx.open_modal(
        edit_form(
            ctx.deps,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            response_url=ctx.command.response_url,
        )
    )


def run_stage(ctx: CommandContext) -> None:
    wants_next = ctx.args.lower() in ("next", "advance")
    if ctx.args and not wants_next:
        ctx.reply("Type `/psif stage` to see the stage, or `/psif stage next` to move on.")
        return
    ctx.reply(
        *stage_overview(
            ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id, wants_next=wants_next
        )
    )


def run_done(ctx: CommandContext) -> None:
    word = ctx.typed_args.strip()
    ctx.reply(
        *milestone_done(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id, word=word)
    )


def run_close(ctx: CommandContext) -> None:
    ctx.reply(*propose_close(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id))


def run_reopen(ctx: CommandContext) -> None:
    ctx.reply(
        reopen(
            ctx.deps,
            channel_id=ctx.command.channel_id,
            user_id=ctx.user_id,
            response_url=ctx.command.response_url,
        )
    )


SUBCOMMANDS = (
    Subcommand(
        name="start",
        usage="/psif start",
        summary="open a new peer collaborative improvement review in this channel",
        run=run_start,
        order=10,
    ),
    Subcommand(
        name="status",
        usage="/psif status",
        summary="where the review stands: stage, what's next, the team",
        run=run_status,
        order=20,
    ),
    Subcommand(
        name="edit",
        usage="/psif edit",
        summary="change the review's Appendix 1 details and dates (leads); reminders follow",
        run=run_edit,
        order=21,
    ),
    Subcommand(
        name="stage",
        usage="/psif stage [next]",
        summary="what the current stage still needs; `next` moves on (leads)",
        run=run_stage,
        order=30,
    ),
    Subcommand(
        name="close",
        usage="/psif close",
        summary="close the review once its plan is carried out (leads; it stays readable)",
        run=run_close,
        order=36,
    ),
    Subcommand(
        name="reopen",
        usage="/psif reopen",
        summary="reopen this channel's closed review (leads)",
        run=run_reopen,
        order=37,
    ),
    Subcommand(
        name="done",
        usage="/psif done <milestone>",
        summary="record a timeline milestone done (e.g. `papers`), which stops its reminders",
        run=run_done,
        order=40,
    ),
)
