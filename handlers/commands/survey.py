"""`/psif links`: survey links for stakeholders outside Slack."""

from __future__ import annotations

from bot.survey.service import LINKS_USAGE, import_form, make_links, withdraw_unused_links
from handlers.commands.router import CommandContext, Subcommand


def links(ctx: CommandContext) -> None:
    """`/psif links 20`: make 20 one-time links (sent as a CSV by direct message);
    `/psif links withdraw`: withdraw the unused ones."""
    where = {"channel_id": ctx.command.channel_id, "user_id": ctx.user_id}
    if ctx.args.strip().lower() == "withdraw":
        ctx.reply(withdraw_unused_links(ctx.deps, **where))
    else:
        ctx.reply(make_links(ctx.deps, **where, typed=ctx.args))


def import_answers(ctx: CommandContext) -> None:
    """`/psif import-answers`: the form to add answers from a survey tool's CSV export."""
    where = {"channel_id": ctx.command.channel_id, "user_id": ctx.user_id}
    ctx.open_modal(import_form(ctx.deps, **where))


LINKS = Subcommand(
    name="links",
    usage=LINKS_USAGE,
    summary="make one-time links to the self-assessment for people without Slack (sent to "
    "you as a CSV to mail-merge), or withdraw the unused ones",
    run=links,
    order=33,
)
IMPORT_ANSWERS = Subcommand(
    name="import-answers",
    usage="/psif import-answers",
    summary="add self-assessment answers collected outside Slack, from a survey tool's CSV "
    "export (you see what I understood before anything is added)",
    run=import_answers,
    order=34,
)
