"""`/psif papers`: the pack for fieldwork; `add <title> <link>`, `paper <link>` (the host's
paper), `remove <n>`, and `send` (leads) to post it and DM the team."""

from __future__ import annotations

from bot.core.papers import PaperKind
from bot.papers.service import add_link, remove_link, send_pack, show_pack
from bot.slack.payloads import whole_number
from handlers.commands.router import CommandContext, Subcommand

USAGE = (
    "Type `/psif papers` to see the pack, "
    "`/psif papers add &lt;title&gt; &lt;link&gt;` to add evidence, "
    "`/psif papers paper &lt;link&gt;` for the host's paper, "
    "`/psif papers remove &lt;number&gt;`, or "
    "`/psif papers send` to send the pack to the team."
)


def run(ctx: CommandContext) -> None:
    word, _, rest = ctx.typed_args.strip().partition(" ")
    word = word.lower()
    command = ctx.command
    where = {"team_id": command.team_id, "channel_id": command.channel_id, "user_id": ctx.user_id}
    if not word:
        ctx.reply(*show_pack(ctx.deps, **where))
    elif word in ("add", "paper"):
        kind = PaperKind.EVIDENCE if word == "add" else PaperKind.HOST_PAPER
        ctx.reply(add_link(ctx.deps, text=rest, kind=kind, **where))
    elif word == "remove" and (number := whole_number(rest.strip(), digits=4)) is not None:
        ctx.reply(remove_link(ctx.deps, number=number, **where))
    elif word == "send" and not rest:
        ctx.reply(
            send_pack(ctx.deps, lambda: ctx.client, response_url=command.response_url, **where)
        )
    else:
        ctx.reply(USAGE)


SUBCOMMAND = Subcommand(
    name="papers",
    usage="/psif papers [add <title> <link> | paper <link> | remove <n> | send]",
    summary="the papers for fieldwork: the host's paper, the self-assessment report, evidence",
    run=run,
    order=33,
)
