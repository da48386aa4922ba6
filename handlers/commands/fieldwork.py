"""`/psif fieldwork`: the fieldwork plan; `/psif fieldwork plan` opens the session form."""

from __future__ import annotations

from bot.fieldwork.service import fieldwork_session_form, show_plan
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    word = ctx.args.strip().lower()
    command = ctx.command
    where = {"team_id": command.team_id, "channel_id": command.channel_id, "user_id": ctx.user_id}
    if not word:
        ctx.reply(*show_plan(ctx.deps, **where))
    elif word in ("plan", "add"):
        view = fieldwork_session_form(
            ctx.deps,
            user_id=ctx.user_id,
            team_id=command.team_id,
            channel_id=command.channel_id,
            response_url=command.response_url,
        )
        ctx.open_modal(view)
    else:
        ctx.reply(
            "Type `/psif fieldwork` to see the plan, or `/psif fieldwork plan` to plan a session."
        )


SUBCOMMAND = Subcommand(
    name="fieldwork",
    usage="/psif fieldwork [plan]",
    summary="the interview and focus-group plan; `plan` adds a session (leads)",
    run=run,
    order=34,
)
