"""Inviting stakeholders to the self-assessment: `/psif invite @a @b @group …` and the
lead's Home tab form. Each new invitee gets a direct message with a Start button; the
channel gets one note naming them all."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.core.checklist import Checklist
from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.core.roles import Role
from bot.deps import Deps
from bot.review_access import channel_review, require_permission
from bot.self_assessment.closing import invite_refusal
from bot.self_assessment.invitation_views import build_invitation, build_issued_in_channel
from bot.self_assessment.invitations import owe_invitation
from bot.self_assessment.rules import mentioned_users
from bot.self_assessment.service import CannotAnswer, issue_round, review_checklist, round_status
from bot.slack.outbox import owe_message
from bot.slack.text import join_words, mention
from bot.slack.usergroups import GroupMention, mentioned_groups
from storage.db import transaction
from storage.models.reviews import Review
from storage.models.self_assessment import ChecklistRound
from storage.repositories.reviews import add_members, record_audit
from storage.repositories.self_assessment import add_participants
from storage.repositories.team import team_of

USAGE = "/psif invite @person @person … (or @user-group)"

# A user group's members' ids, or what to tell the person if Slack won't say.
GroupMembers = Callable[[GroupMention], list[str] | str]


def invite_mentioned(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    typed: str,
    members_of: GroupMembers,
    response_url: str,
) -> str:
    """Invite the people and user groups mentioned in `typed`; who may invite is checked
    before what was typed, and before Slack is asked who is in a group."""
    with transaction(deps.sessions) as session:
        require_permission(
            channel_review(session, channel_id=channel_id), user_id, Operation.INVITE_STAKEHOLDERS
        )
    users, groups = mentioned_users(typed), mentioned_groups(typed)
    if not users and not groups:
        raise Refusal(
            f"Name the people to invite, for example `{USAGE}`. Type `@` and pick each person "
            "(or a user group) from the list so that Slack sends me who they are."
        )
    problems: list[str] = []
    for group in groups:
        members = members_of(group)
        if isinstance(members, str):
            problems.append(members)
        else:
            users += [user for user in members if user not in users]
    if not users:
        raise Refusal("\n".join(problems))
    return invite_people(
        deps,
        channel_id=channel_id,
        user_id=user_id,
        users=users,
        response_url=response_url,
        notes=problems,
    )


def invite_people(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    users: list[str],
    response_url: str = "",
    notes: Sequence[str] = (),
) -> str:
    """Invite these people to the channel's review (issuing the self-assessment if need be);
    the answer names who was invited, with `notes` at the end."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.INVITE_STAKEHOLDERS)
        try:
            checklist = review_checklist(deps, review)
        except CannotAnswer as cannot:
            raise Refusal(
                f"This review's checklist `{review.checklist_id}` isn't installed, so I can't "
                "issue it. Ask whoever looks after the PSIF bot."
            ) from cannot
        round_ = issue_round(session=session, deps=deps, review=review, actor_id=user_id)
        refusal = invite_refusal(round_status(session=session, deps=deps, round_=round_))
        if refusal:
            raise Refusal(refusal)
        added = add_participants(
            session=session,
            review_id=review.id,
            user_ids=users,
            actor_id=user_id,
            now=deps.now(),
        )
        if added:
            invited = Invited(review, round_, checklist, user_id, response_url)
            _record_invitations(session, deps, invited, added)
        closes_on = round_.closes_on
        on_team = [user for user in added if user in team_of(review)]
    already = [user for user in users if user not in added]
    lines = []
    if added:
        lines.append(
            f"Invited {join_words([mention(u) for u in added])}: each gets a direct message "
            f"with a button to start. The self-assessment closes on {format_date(closes_on)}."
        )
    if on_team:
        lines.append(
            f"{join_words([mention(u) for u in on_team])} "
            f"{'is' if len(on_team) == 1 else 'are'} on the review team: their answers will be "
            "in the figures but won't count towards the "
            f"{deps.settings.min_respondents} people outside the team needed before any "
            "figure is shown."
        )
    if already:
        lines.append(f"Already invited: {join_words([mention(u) for u in already])}.")
    return "\n".join([*lines, *notes])


@dataclass(frozen=True)
class Invited:
    """Where people are being invited to, and by whom."""

    review: Review
    round_: ChecklistRound
    checklist: Checklist
    by: str
    response_url: str


def _record_invitations(session: Session, deps: Deps, invited: Invited, added: list[str]) -> None:
    """Make the new invitees stakeholders, audit it, and owe their DMs and the channel note."""
    review, round_ = invited.review, invited.round_
    user_id, response_url = invited.by, invited.response_url
    now = deps.now()
    add_members(
        session=session,
        review=review,
        user_ids=added,
        role=Role.STAKEHOLDER,
        actor_id=user_id,
        now=now,
    )
    record_audit(
        session=session,
        review=review,
        actor_id=user_id,
        action="checklist.invited",
        details={"users": added},
        now=now,
    )
    for user in added:
        text, blocks = build_invitation(
            review_id=review.id,
            host_council=review.host_council,
            focus=review.focus,
            invited_by=user_id,
            checklist=invited.checklist,
            closes_on=round_.closes_on,
            min_respondents=deps.settings.min_respondents,
        )
        owe_invitation(
            session,
            team_id=review.team_id,
            review_id=review.id,
            user_id=user,
            text=text,
            blocks=blocks,
            if_undelivered={
                "user_id": user_id,
                "response_url": response_url,
                "text": f"I couldn't send {mention(user)} their invitation. They can still "
                "type `/psif checklist` to start, or use the button in the channel.",
            },
        )
    text, blocks = build_issued_in_channel(
        review_id=review.id, invited_by=user_id, invited=added, closes_on=round_.closes_on
    )
    owe_message(
        session,
        team_id=review.team_id,
        channel=review.channel_id,
        text=text,
        blocks=blocks,
        if_undelivered={
            "user_id": user_id,
            "response_url": response_url,
            "text": "The invitations are saved, but I couldn't post the start button "
            "in the channel.",
        },
    )
