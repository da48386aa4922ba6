"""`/afi` subcommands of areas for improvement and their dot vote: add, list, import, vote,
close, reopen."""

from __future__ import annotations

from bot.afis import service
from handlers.commands.router import CommandContext, Subcommand


def _where(ctx: CommandContext) -> dict[str, str]:
    command = ctx.command
    return {
        "channel_id": command.channel_id,
        "user_id": ctx.user_id,
        "response_url": command.response_url,
    }


def _add(ctx: CommandContext) -> None:
    if not ctx.args:
        ctx.open_modal(service.add_form(ctx.deps, **_where(ctx)))
        return
    channel_id, key = ctx.command.channel_id, ctx.command.trigger_id
    text = ctx.typed_args.strip()
    request = service.NewAfiRequest(channel_id, ctx.user_id, text, request_key=key)
    ctx.reply(*service.add_area(ctx.deps, request))


def _import(ctx: CommandContext) -> None:
    if ctx.typed_args.strip().lower() == "all":
        ctx.reply(service.import_candidates(ctx.deps, **_where(ctx)))
    else:
        ctx.open_modal(service.import_form(ctx.deps, **_where(ctx)))


ADD = Subcommand(
    name="add",
    usage="/afi add [text]",
    summary="add an area for improvement (no text opens a form with section and evidence)",
    run=_add,
    order=10,
)
LIST = Subcommand(
    name="list",
    usage="/afi list",
    summary="the areas for improvement, one line each with votes so far; Show one to read it "
    "in full, edit, merge or withdraw it",
    run=lambda ctx: ctx.reply(
        *service.afi_list(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id)
    ),
    order=20,
)
IMPORT = Subcommand(
    name="import",
    usage="/afi import [all]",
    summary="choose and word the self-assessment's candidate areas for improvement "
    "(`all` adds every one as worded)",
    run=_import,
    order=15,
)
VOTE = Subcommand(
    name="vote",
    usage="/afi vote",
    summary="start a dot vote on the areas for improvement (host lead, Improvement Service)",
    run=lambda ctx: ctx.open_modal(service.vote_form(ctx.deps, **_where(ctx))),
    order=30,
)
CLOSE = Subcommand(
    name="close",
    usage="/afi close [N]",
    summary="close the vote and prioritise the top N areas (as chosen when it started)",
    # Nothing more is said: the result in the channel names the closer.
    run=lambda ctx: service.close_vote_now(ctx.deps, **_where(ctx), typed_top_n=ctx.args),
    order=40,
)
REOPEN = Subcommand(
    name="reopen",
    usage="/afi reopen",
    summary="re-open the last vote (host lead, Improvement Service)",
    run=lambda ctx: ctx.reply(
        service.reopen_last_vote(ctx.deps, channel_id=ctx.command.channel_id, user_id=ctx.user_id)
    ),
    order=45,
)
SUBCOMMANDS = (ADD, LIST, IMPORT, VOTE, CLOSE, REOPEN)
