"""`/psif checklist`: open or resume your own self-assessment;
`/psif checklist close`: a lead closes it early (after a confirmation);
`/psif checklist close-date 31/12/2026`: a lead moves the closing date."""

from __future__ import annotations

from bot.self_assessment.answering import own_self_assessment
from bot.self_assessment.closing import change_closing_date, close_confirmation
from handlers.commands.router import CommandContext, Subcommand

CLOSE = "close"
CLOSE_DATE = "close-date"


def run(ctx: CommandContext) -> None:
    word, _, rest = ctx.args.partition(" ")
    where = {"channel_id": ctx.command.channel_id, "user_id": ctx.user_id}
    if word.lower() == CLOSE_DATE:
        url = ctx.command.response_url
        ctx.reply(change_closing_date(ctx.deps, **where, typed=rest.strip(), response_url=url))
    elif word.lower() == CLOSE and not rest.strip():
        ctx.reply(*close_confirmation(ctx.deps, **where))
    elif word:
        ctx.reply(
            "Type `/psif checklist` to open your self-assessment; (leads) "
            "`/psif checklist close` to close it now, or "
            "`/psif checklist close-date 2027-03-01` to change when it closes."
        )
    else:
        opened = own_self_assessment(ctx.deps, **where)
        if isinstance(opened, tuple):
            ctx.reply(*opened)
            return
        again = (
            "Slack took too long to open your self-assessment. Please type `/psif checklist` again."
        )
        ctx.open_modal(opened, too_slow=again, unrecorded=True)


SUBCOMMAND = Subcommand(
    name="checklist",
    usage="/psif checklist [close | close-date DD/MM/YYYY]",
    summary="open or carry on with your self-assessment; leads can close it early or set its "
    "closing date",
    run=run,
    order=31,
)
