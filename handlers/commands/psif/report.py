"""`/psif report` builds a numbered draft; `comments` lists open comments; `final [n]` marks
a version final; `summary` makes the public summary for the LGBF website."""

from __future__ import annotations

from bot.report.comments import list_open_comments
from bot.report.service import build_draft, finalise, publish_summary
from bot.slack.payloads import whole_number
from handlers.commands.router import CommandContext, Subcommand

USAGE = (
    "Type `/psif report` to build a draft, `/psif report comments` for open comments, "
    "`/psif report final [version]` to mark one final, or `/psif report summary` for the "
    "LGBF website summary."
)


def run(ctx: CommandContext) -> None:
    word, _, rest = ctx.args.strip().lower().partition(" ")
    where = {
        "team_id": ctx.command.team_id,
        "channel_id": ctx.command.channel_id,
        "user_id": ctx.user_id,
    }
    response_url = ctx.command.response_url
    if not word:
        ctx.reply(build_draft(ctx.deps, lambda: ctx.client, response_url=response_url, **where))
    elif word == "comments" and not rest:
        ctx.reply(*list_open_comments(ctx.deps, **where))
    elif word == "final" and (not rest or whole_number(rest, digits=4) is not None):
        number = whole_number(rest, digits=4)
        answer = finalise(
            ctx.deps, lambda: ctx.client, number=number, response_url=response_url, **where
        )
        ctx.reply(answer)
    elif word == "summary" and not rest:
        ctx.reply(publish_summary(ctx.deps, response_url=response_url, **where))
    else:
        ctx.reply(USAGE)


SUBCOMMAND = Subcommand(
    name="report",
    usage="/psif report [comments | final [n] | summary]",
    summary="build the draft report (Word and Markdown); comments, the final version and the "
    "LGBF summary (leads)",
    run=run,
    order=36,
)
