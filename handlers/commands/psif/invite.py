"""`/psif invite @a @b @group …`: issue the self-assessment to stakeholders by direct
message; a Slack user group invites its members."""

from __future__ import annotations

from collections.abc import Sequence

from bot.reviews.permissions import Operation
from bot.reviews.roles import Role
from bot.self_assessment.closing import invite_refusal
from bot.self_assessment.invitation_views import build_invitation, build_issued_in_channel
from bot.self_assessment.invitations import owe_invitation
from bot.self_assessment.rules import mentioned_users
from bot.self_assessment.service import CannotAnswer, issue_round, review_checklist, round_status
from bot.slack.deliveries import owe_message
from bot.slack.text import format_date, join_words, mention
from bot.slack.usergroups import group_members, mentioned_groups
from handlers.commands.router import CommandContext, Subcommand
from storage.db import transaction
from storage.repositories.reviews import add_members, record_audit
from storage.repositories.self_assessment import add_participants

USAGE = "/psif invite @person @person … (or @user-group)"


def run(ctx: CommandContext) -> None:
    users = mentioned_users(ctx.args)
    groups = mentioned_groups(ctx.args)
    if not users and not groups:
        ctx.reply(
            f"Name the people to invite, for example `{USAGE}`. Type `@` and pick each person "
            "(or a user group) from the list so that Slack sends me who they are."
        )
        return
    if groups:
        # Asking Slack who is in a group comes after the permission check, never before.
        with transaction(ctx.deps.sessions) as session:
            review = ctx.open_review(session)
            if review is None or not ctx.require(review, Operation.INVITE_STAKEHOLDERS):
                return
    problems: list[str] = []
    for group in groups:
        members = group_members(ctx.client, group)
        if isinstance(members, str):
            problems.append(members)
        else:
            users += [user for user in members if user not in users]
    if users:
        invite_people(ctx, users, notes=problems)
    else:
        ctx.reply("\n".join(problems))


def invite_people(ctx: CommandContext, users: list[str], *, notes: Sequence[str] = ()) -> None:
    """Invite these people to the channel's review (from the command, or from a lead's
    Home tab as if typed there), and answer with who was invited; `notes` go at the end."""
    with transaction(ctx.deps.sessions) as session:
        review = ctx.open_review(session)
        if review is None or not ctx.require(review, Operation.INVITE_STAKEHOLDERS):
            return
        try:
            checklist = review_checklist(ctx.deps, review)
        except CannotAnswer:
            ctx.reply(
                f"This review's checklist `{review.checklist_id}` isn't installed, so I can't "
                "issue it. Ask whoever looks after the PSIF bot."
            )
            return
        round_ = issue_round(session=session, deps=ctx.deps, review=review, actor_id=ctx.user_id)
        refusal = invite_refusal(round_status(session=session, deps=ctx.deps, round_=round_))
        if refusal:
            ctx.reply(refusal)
            return
        added = add_participants(
            session=session,
            review_id=review.id,
            user_ids=users,
            actor_id=ctx.user_id,
            now=ctx.deps.now(),
        )
        add_members(
            session=session,
            review=review,
            user_ids=added,
            role=Role.STAKEHOLDER,
            actor_id=ctx.user_id,
            now=ctx.deps.now(),
        )
        if added:
            record_audit(
                session=session,
                review=review,
                actor_id=ctx.user_id,
                action="checklist.invited",
                details={"users": added},
                now=ctx.deps.now(),
            )
        closes_on = round_.closes_on
        for user in added:
            text, blocks = build_invitation(
                review_id=review.id,
                host_council=review.host_council,
                focus=review.focus,
                invited_by=ctx.user_id,
                checklist=checklist,
                closes_on=closes_on,
                min_respondents=ctx.deps.settings.min_respondents,
            )
            owe_invitation(
                session,
                team_id=review.team_id,
                review_id=review.id,
                user_id=user,
                text=text,
                blocks=blocks,
                if_undelivered={
                    "user_id": ctx.user_id,
                    "response_url": ctx.command.response_url,
                    "text": f"I couldn't send {mention(user)} their invitation. They can still "
                    "type `/psif checklist` to start, or use the button in the channel.",
                },
            )
        if added:
            text, blocks = build_issued_in_channel(
                review_id=review.id, invited_by=ctx.user_id, invited=added, closes_on=closes_on
            )
            owe_message(
                session,
                team_id=review.team_id,
                channel=review.channel_id,
                text=text,
                blocks=blocks,
                if_undelivered={
                    "user_id": ctx.user_id,
                    "response_url": ctx.command.response_url,
                    "text": "The invitations are saved, but I couldn't post the start button "
                    "in the channel.",
                },
            )
    already = [user for user in users if user not in added]
    lines = []
    if added:
        lines.append(
            f"Invited {join_words([mention(u) for u in added])}: each gets a direct message "
            f"with a button to start. The self-assessment closes on {format_date(closes_on)}."
        )
    if already:
        lines.append(f"Already invited: {join_words([mention(u) for u in already])}.")
    ctx.reply("\n".join([*lines, *notes]))


SUBCOMMAND = Subcommand(
    name="invite",
    usage=USAGE,
    summary="invite stakeholders to the PSIF self-assessment (each gets a direct message)",
    run=run,
    order=30,
)
