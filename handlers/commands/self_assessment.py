"""The self-assessment's subcommands of `/psif`: invite, checklist, results."""

from __future__ import annotations

from bot.self_assessment.service import (
    INVITE_USAGE,
    ask_channel_results,
    change_closing_date,
    close_confirmation,
    export_results,
    invite_mentioned,
    own_self_assessment,
)
from bot.slack.usergroups import GroupMention, group_members
from handlers.commands.router import CommandContext, Subcommand


def invite(ctx: CommandContext) -> None:
    """`/psif invite @a @b @group …`: a user group invites its members."""

    # ctx.client defers to after the acknowledgement, so read it only when a group needs it.
    def members_of(group: GroupMention) -> list[str] | str:
        return group_members(ctx.client, group)

    url = ctx.command.response_url
    where = {"channel_id": ctx.command.channel_id, "user_id": ctx.user_id}
    ctx.reply(
        invite_mentioned(ctx.deps, **where, typed=ctx.args, members_of=members_of, response_url=url)
    )


def checklist(ctx: CommandContext) -> None:
    """`/psif checklist [close | close-date 31/12/2026]`."""
    word, _, rest = ctx.args.partition(" ")
    where = {"channel_id": ctx.command.channel_id, "user_id": ctx.user_id}
    if word.lower() == "close-date":
        url = ctx.command.response_url
        ctx.reply(change_closing_date(ctx.deps, **where, typed=rest.strip(), response_url=url))
    elif word.lower() == "close" and not rest.strip():
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
        ctx.open_modal(opened, unrecorded=True)


def results(ctx: CommandContext) -> None:
    """`/psif results [export | repost]`."""
    command = ctx.command
    word = ctx.args.lower()
    if word == "export":
        answers = export_results(ctx.deps, channel_id=command.channel_id, user_id=ctx.user_id)
    elif word in ("", "repost"):
        ask_channel_results(  # answered by the worker, which asks Slack and analyses
            ctx.deps,
            channel_id=command.channel_id,
            user_id=ctx.user_id,
            team_id=command.team_id,
            response_url=command.response_url,
            repost=word == "repost",
        )
        return
    else:
        answers = [
            "Type `/psif results` to post the self-assessment results here (or see where they "
            "were posted), `/psif results export` to get them as spreadsheet files, or "
            "(leads) `/psif results repost` to post them again."
        ]
    for answer in answers:
        ctx.reply(answer)


INVITE = Subcommand(
    name="invite",
    usage=INVITE_USAGE,
    summary="invite stakeholders to the PSIF self-assessment (each gets a direct message)",
    run=invite,
    order=30,
)
CHECKLIST = Subcommand(
    name="checklist",
    usage="/psif checklist [close | close-date DD/MM/YYYY]",
    summary="open or carry on with your self-assessment; leads can close it early or set its "
    "closing date",
    run=checklist,
    order=31,
)
RESULTS = Subcommand(
    name="results",
    usage="/psif results [export | repost]",
    summary="once the self-assessment has closed: post its results here once (private "
    "channels only; leads can repost), or get the totals as spreadsheets",
    run=results,
    order=32,
)
