"""`/psif fieldwork`: the fieldwork plan; `/psif fieldwork plan` opens the session form."""

from __future__ import annotations

from bot.fieldwork.service import session_form, show_plan
from handlers.commands.router import CommandContext, Subcommand

USAGE = "Type `/psif fieldwork` to see the plan, or `/psif fieldwork plan` to plan a session."


def run(ctx: CommandContext) -> None:
    word = ctx.args.strip().lower()
    if word and word not in ("plan", "add"):
        ctx.reply(USAGE)
        return
    command = ctx.command
    if not word:
        text, blocks = show_plan(
            ctx.deps, team_id=command.team_id, channel_id=command.channel_id, user_id=ctx.user_id
        )
        ctx.reply(text, blocks)
        return
    view = session_form(
        ctx.deps,
        user_id=ctx.user_id,
        team_id=command.team_id,
        channel_id=command.channel_id,
        response_url=command.response_url,
    )
    ctx.open_modal(view)


SUBCOMMAND = Subcommand(
    name="fieldwork",
    usage="/psif fieldwork [plan]",
    summary="the interview and focus-group plan; `plan` adds a session (leads)",
    run=run,
    order=34,
)
