"""`/psif report` builds a numbered draft; `comments` lists open comments; `final [n]` asks
the host lead to confirm a version final; `summary` makes the public summary for the LGBF
website; `briefing` the elected members' briefing."""

from __future__ import annotations

from bot.report.service import (
    ask_for_draft,
    finalise,
    list_open_comments,
    publish_briefing,
    publish_summary,
)
from bot.slack.payloads import whole_number
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    word, _, rest = ctx.args.strip().lower().partition(" ")
    command = ctx.command
    where = {"team_id": command.team_id, "channel_id": command.channel_id, "user_id": ctx.user_id}
    answer = {"response_url": command.response_url, **where}
    number = whole_number(rest, digits=4)
    if not word:
        ask_for_draft(ctx.deps, **answer)  # answered by the worker once the draft is saved
    elif word == "comments" and not rest:
        ctx.reply(*list_open_comments(ctx.deps, **where))
    elif word == "final" and (not rest or number is not None):
        ctx.reply(*finalise(ctx.deps, lambda: ctx.client, number=number, **where))
    elif word == "summary" and not rest:
        ctx.reply(publish_summary(ctx.deps, **answer))
    elif word == "briefing" and not rest:
        ctx.reply(publish_briefing(ctx.deps, **answer))
    else:
        ctx.reply(
            "Type `/psif report` to build a draft, `/psif report comments` for open comments, "
            "`/psif report final [version]` to mark one final (the host lead), "
            "`/psif report summary` for the LGBF website summary, or `/psif report briefing` "
            "for the elected members' briefing."
        )


SUBCOMMAND = Subcommand(
    name="report",
    usage="/psif report [comments | final [n] | summary | briefing]",
    summary="build the draft report (Word and Markdown); comments, the final version (the host "
    "lead), the LGBF summary and the members' briefing (leads)",
    run=run,
    order=36,
)
