"""`/psif team`: show the team, add and remove people, change a lead.

Each change is checked against the permission table and saved with its audit record in
one transaction, which also owes its announcements to the outbox: a direct message to each
person added (their role, what it asks of them, confidentiality, the timeline and their
commands) and one line per change in the channel. `_owe_announcements` is the one place
they are written; if Slack refuses one for good, the lead who made the change is told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.permissions import Operation, permits, refusal
from bot.core.roles import Role
from bot.core.snapshot import ReviewSnapshot
from bot.deps import Deps
from bot.review_access import no_open_review
from bot.reviews.answers import Answer
from bot.slack.blocks import section
from bot.slack.outbox import Undelivered, owe_direct_message, owe_message
from bot.slack.text import join_words, mention
from bot.team.rules import (
    TEAM_OF_LEAD,
    AddMembers,
    RemoveMembers,
    SetLead,
    ShowTeam,
    label,
    parse_team_request,
    plan_addition,
    plan_lead,
    plan_removal,
)
from bot.team.views import (
    added_line,
    build_removed_notice,
    build_team,
    build_welcome,
    lead_line,
    removed_line,
)
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.reviews import (
    latest_review_in_channel,
    open_review_in_channel,
    roles_of,
    snapshot,
)
from storage.repositories.team import add_team_members, remove_team_members, set_lead, team_of

logger = logging.getLogger(__name__)


@dataclass
class _Change:
    """What a saved change needs announced."""

    review: ReviewSnapshot
    welcome: dict[str, Role] = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    channel_line: str = ""
    notes: list[str] = field(default_factory=list)


def show_team(deps: Deps, *, channel_id: str, user_id: str) -> Answer:
    with transaction(deps.sessions) as session:
        review = latest_review_in_channel(session=session, channel_id=channel_id)
        if review is None:
            return Answer(no_open_review(None))
        can_change = review.closed_at is None and permits(
            Operation.CHANGE_TEAM, roles_of(review, user_id)
        )
        text, blocks = build_team(snapshot(review), can_change=can_change)
    return Answer(text, blocks)


def _review_to_change(session: Session, *, channel_id: str, user_id: str) -> Review | Answer:
    """The channel's open review if the user may change its team; else why not."""
    review = open_review_in_channel(session=session, channel_id=channel_id)
    if review is None:
        return Answer(
            no_open_review(latest_review_in_channel(session=session, channel_id=channel_id))
        )
    if not permits(Operation.CHANGE_TEAM, roles_of(review, user_id)):
        return Answer(refusal(Operation.CHANGE_TEAM))
    return review


def team_command(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    channel_id: str,
    user_id: str,
    typed: str,
    response_url: str | None = None,
) -> Answer:
    """`/psif team …`: show the team, or add, remove or make lead as typed. Who may change
    the team is checked before what was typed is read (and before Slack is asked whether
    the people named are people); `slack` gives the Web API client only then, so showing
    the team makes no Slack call."""
    request = parse_team_request(typed)
    if isinstance(request, ShowTeam):
        return show_team(deps, channel_id=channel_id, user_id=user_id)
    with transaction(deps.sessions) as session:
        review = _review_to_change(session, channel_id=channel_id, user_id=user_id)
        if isinstance(review, Answer):
            return review
    if isinstance(request, str):
        return Answer(request)
    return change_team(
        deps,
        slack(),
        channel_id=channel_id,
        user_id=user_id,
        request=request,
        response_url=response_url,
    )


def change_team(
    deps: Deps,
    client: WebClient,
    *,
    channel_id: str,
    user_id: str,
    request: AddMembers | RemoveMembers | SetLead,
    response_url: str | None = None,
) -> Answer:
    """Add, remove or make lead, as `request` says; the answer says what happened."""
    if isinstance(request, AddMembers):
        request = AddMembers(
            tuple(u for u in request.users if _is_person(client, u)),
            request.role,
            request.organisation,
        )
        if not request.users:
            return Answer("Those are apps, not people, so they can't join the team.")
    now = deps.now()
    with transaction(deps.sessions) as session:
        review = _review_to_change(session, channel_id=channel_id, user_id=user_id)
        if isinstance(review, Answer):
            return review
        team = team_of(review)
        change = _Change(snapshot(review))
        if isinstance(request, AddMembers):
            addition = plan_addition(team, request)
            change.notes += [
                f"{mention(user)} is already on the team as {label(role)}; take them off "
                "first to change their role."
                for user, role in addition.already.items()
            ]
            if addition.added:
                add_team_members(
                    session=session,
                    review=review,
                    users=addition.added,
                    role=request.role,
                    organisation=request.organisation,
                    actor_id=user_id,
                    now=now,
                )
                change.welcome = dict.fromkeys(addition.added, request.role)
                change.channel_line = added_line(
                    user_id, addition.added, request.role, request.organisation
                )
        elif isinstance(request, RemoveMembers):
            removal = plan_removal(team, request)
            change.notes += [
                f"{mention(user)} is the {label(role)}. Name a new one first, e.g. "
                f"`/psif team lead {'host' if role is Role.HOST_LEAD else 'is'} @someone`."
                for user, role in removal.leads.items()
            ]
            if removal.not_on_team:
                people = join_words([mention(u) for u in removal.not_on_team])
                change.notes.append(f"{people} isn't on the team.")
            if removal.removed:
                remove_team_members(
                    session=session,
                    review=review,
                    users=removal.removed,
                    actor_id=user_id,
                    now=now,
                )
                change.removed = removal.removed
                change.channel_line = removed_line(user_id, removal.removed)
        elif isinstance(request, SetLead):
            lead = plan_lead(team, request)
            if lead.problem:
                return Answer(lead.problem)
            set_lead(
                session=session,
                review=review,
                role=request.role,
                user_id=request.user,
                previous_becomes=TEAM_OF_LEAD[request.role],
                actor_id=user_id,
                now=now,
            )
            change.welcome = {request.user: request.role}
            change.channel_line = lead_line(user_id, request.role, request.user, lead.previous)
        change.review = snapshot(review)
        _owe_announcements(
            session,
            deps,
            change,
            team_id=review.team_id,
            actor_id=user_id,
            response_url=response_url,
        )
    lines = [change.channel_line, *change.notes]
    return Answer("\n".join(line for line in lines if line) or "Nothing changed.")


def _owe_announcements(
    session: Session,
    deps: Deps,
    change: _Change,
    *,
    team_id: str,
    actor_id: str,
    response_url: str | None,
) -> None:
    """The Slack side of a saved change, owed in its transaction: welcomes, notices, the
    channel line."""
    review = change.review

    def if_undelivered(text: str) -> Undelivered:
        return {"user_id": actor_id, "response_url": response_url, "text": text}

    for user, role in change.welcome.items():
        text, blocks = build_welcome(
            review, user=user, role=role, added_by=actor_id, today=deps.today()
        )
        owe_direct_message(
            session,
            team_id=team_id,
            user_id=user,
            text=text,
            blocks=blocks,
            if_undelivered=if_undelivered(
                f"{mention(user)} is on the team, but I couldn't send them their welcome."
            ),
        )
    for user in change.removed:
        owe_direct_message(
            session,
            team_id=team_id,
            user_id=user,
            text=build_removed_notice(review, removed_by=actor_id),
        )
    if change.channel_line:
        owe_message(
            session,
            team_id=team_id,
            channel=review.channel_id,
            text=change.channel_line,
            blocks=[section(change.channel_line)],
            if_undelivered=if_undelivered(
                "The team change is saved, but I couldn't tell the channel."
            ),
        )


def _is_person(client: WebClient, user_id: str) -> bool:
    """False for apps and deactivated accounts. People from other workspaces (Slack Connect)
    may be unknown to users.info: they count as people and show as a plain mention."""
    try:
        user = client.users_info(user=user_id)["user"]
    except (SlackApiError, KeyError, TypeError) as error:
        logger.info("users.info for %s failed (%s); treating as a person", user_id, error)
        return True
    return not (user.get("is_bot") or user.get("deleted"))
