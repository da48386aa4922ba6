"""`/psif invite @a @b @group …`: issue the self-assessment to stakeholders by direct
message; a Slack user group invites its members."""

from __future__ import annotations

from bot.self_assessment.inviting import USAGE, invite_mentioned
from bot.slack.usergroups import GroupMention, group_members
from handlers.commands.router import CommandContext, Subcommand


def run(ctx: CommandContext) -> None:
    def members_of(group: GroupMention) -> list[str] | str:
        return group_members(ctx.client, group)  # asked only once the inviter may invite

    answer = invite_mentioned(
        ctx.deps,
        channel_id=ctx.command.channel_id,
        user_id=ctx.user_id,
        typed=ctx.args,
        members_of=members_of,
        response_url=ctx.command.response_url,
    )
    ctx.reply(answer)


SUBCOMMAND = Subcommand(
    name="invite",
    usage=USAGE,
    summary="invite stakeholders to the PSIF self-assessment (each gets a direct message)",
    run=run,
    order=30,
)
