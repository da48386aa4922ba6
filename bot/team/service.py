"""`/psif team` (the team; leads add, remove and change leads), `/psif peers` (which peer
councils agreed; leads record the answers) and `/psif participants`. Each change is saved
with its audit record in one transaction that also owes its announcements (DMs, one channel
line); if Slack refuses one for good, the lead who made the change is told.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from sqlalchemy.orm import Session

from bot.core.errors import FormErrors, NoReviewHere, Refusal
from bot.core.peers import PeerState
from bot.core.permissions import Operation, permits, refusal
from bot.core.roles import LEAD_ROLES, Role
from bot.core.snapshot import ReviewSnapshot
from bot.core.stages import closed_note, no_open_review
from bot.deps import Deps
from bot.review_access import channel_review, get_review, readable_channel_review
from bot.slack.after_ack import Answer
from bot.slack.blocks import Block, section
from bot.slack.outbox import Undelivered, owe_direct_message, owe_message
from bot.slack.payloads import OUT_OF_DATE
from bot.slack.text import join_words, mention
from bot.team import _rules, views
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.reviews import channel_head, roles_of, snapshot
from storage.repositories.team import (
    TEAM_ROLE_VALUES,
    Named,
    add_host_participants,
    add_to_team,
    host_participants_of,
    host_participants_without_papers,
    named_in_channel,
    peer_councils_of,
    record_papers_sent,
    remove_host_participants,
    remove_team_members,
    set_lead,
    team_of,
    update_peer_councils,
)

logger = logging.getLogger(__name__)

# The host council's officers taking part in fieldwork (neither team nor stakeholders), for
# the papers feature: who they are, who hasn't had the papers, and recording that they have.
host_participants = host_participants_of
host_participants_awaiting_papers = host_participants_without_papers
record_papers_sent_to = record_papers_sent


def _check_may_change(
    session: Session, channel_id: str, user_id: str, operation: Operation
) -> None:
    """Refuse unless the user may make this change to the channel's open review: checked
    before Slack is asked about anyone, without loading the review the change loads again."""
    head = channel_head(session=session, channel_id=channel_id, user_id=user_id)
    if head is None or head.closed_at is not None:
        raise NoReviewHere(no_open_review(head))
    if not permits(operation, head.roles):
        raise Refusal(refusal(operation))


def _named_to_change(
    session: Session, channel_id: str, user_id: str, people: Sequence[str], operation: Operation
) -> tuple[Named, dict[str, Role]]:
    """The channel's open review, if the user may make this change to it, and the team roles
    of the people named: read with only their roles (one statement, whatever the team's size)."""
    named = named_in_channel(session=session, channel_id=channel_id, user_ids=(user_id, *people))
    if named is None or named.closed_at is not None:
        raise NoReviewHere(no_open_review(named))
    members = named.review.members
    if not permits(operation, {role for user, role in members if user == user_id}):
        raise Refusal(refusal(operation))
    return named, {user: role for user, role in members if role.value in TEAM_ROLE_VALUES}


def _people(slack: Callable[[], WebClient], users: Sequence[str], *, to: str) -> tuple[str, ...]:
    """The users who are people; a Refusal if none is. Apps and deactivated accounts aren't;
    people from other workspaces (Slack Connect) that users.info doesn't know are."""
    client = slack()
    people = []
    for user in users:
        try:
            info = client.users_info(user=user)["user"]
        except (SlackApiError, KeyError, TypeError) as error:
            logger.info("users.info for %s failed (%s); treating as a person", user, error)
            info = {}
        if not (info.get("is_bot") or info.get("deleted")):
            people.append(user)
    if not people:
        raise Refusal(f"Those are apps, not people, so they can't {to}.")
    return tuple(people)


def _teller(user_id: str, response_url: str | None) -> Callable[[str], Undelivered]:
    """What the person who made a change is told if Slack refuses an announcement for good."""

    def told(text: str) -> Undelivered:
        return {"user_id": user_id, "response_url": response_url, "text": text}

    return told


def _dm(
    session: Session,
    review: Review | Named,
    user: str,
    message: tuple[str, list[Block] | None],
    undelivered: Undelivered | None = None,
) -> None:
    text, blocks = message
    owe_direct_message(
        session,
        team_id=review.team_id,
        user_id=user,
        text=text,
        blocks=blocks,
        if_undelivered=undelivered,
    )


def _tell_channel(
    session: Session, review: Review | Named, line: str, undelivered: Undelivered
) -> None:
    owe_message(
        session,
        team_id=review.team_id,
        channel=review.channel_id,
        text=line,
        blocks=[section(line)],
        if_undelivered=undelivered,
    )


def _answer(done: str, notes: list[str]) -> Answer:
    return "\n".join(part for part in (done, *notes) if part) or "Nothing changed.", None


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
    the team is checked before what was typed is read or Slack is asked whether the people
    named are people (`slack` gives the client only then)."""
    if not typed.split():
        with transaction(deps.sessions) as session:
            review = readable_channel_review(session, channel_id=channel_id)
            can_change = review.closed_at is None and permits(
                Operation.CHANGE_TEAM, roles_of(review, user_id)
            )
            return views.build_team(snapshot(review), can_change=can_change)
    tell = _teller(user_id, response_url)
    with transaction(deps.sessions) as session:
        _check_may_change(session, channel_id, user_id, Operation.CHANGE_TEAM)
        request = _rules.parse_team_request(typed)
        if not isinstance(request, _rules.AddMembers):  # no Slack to ask: one transaction
            review = channel_review(session, channel_id=channel_id)
            change = _remove_or_make_lead(session, deps, review, request, user_id)
            return _announce(session, deps, review, snapshot(review), change, user_id, tell)
    people = _people(slack, request.users, to="join the team")
    with transaction(deps.sessions) as session:
        return _add(session, deps, channel_id, user_id, people, request, tell)


@dataclass
class _Change:
    """What a team change did: the channel's line (said once), who is welcomed in which role
    or told they are off the team, and notes for the person who made it."""

    line: str = ""
    welcome: dict[str, Role] = field(default_factory=dict)
    removed: tuple[str, ...] = ()
    notes: list[str] = field(default_factory=list)


def _add(
    session: Session,
    deps: Deps,
    channel_id: str,
    user_id: str,
    people: tuple[str, ...],
    request: _rules.AddMembers,
    tell: Callable[[str], Undelivered],
) -> Answer:
    """Add the people not on the team yet."""
    named, team = _named_to_change(session, channel_id, user_id, people, Operation.CHANGE_TEAM)
    change = _Change(
        notes=[
            f"{mention(user)} is already on the team as {_rules.label(team[user])}; take "
            "them off first to change their role."
            for user in people
            if user in team
        ]
    )
    added = tuple(user for user in people if user not in team)
    picture = named.review
    if added:
        add_to_team(
            session=session,
            review_id=named.review.id,
            user_ids=added,
            role=request.role,
            organisation=request.organisation,
            actor_id=user_id,
            now=deps.now(),
        )
        change.welcome = dict.fromkeys(added, request.role)
        change.line = views.added_line(user_id, added, request.role, request.organisation)
        if request.organisation:
            picture = replace(picture, organisations=dict.fromkeys(added, request.organisation))
    return _announce(session, deps, named, picture, change, user_id, tell)


def _remove_or_make_lead(
    session: Session,
    deps: Deps,
    review: Review,
    request: _rules.RemoveMembers | _rules.SetLead,
    user_id: str,
) -> _Change:
    now, team = deps.now(), team_of(review)
    change = _Change()
    if isinstance(request, _rules.RemoveMembers):
        # A lead stays until someone else is named lead.
        change.notes += [
            f"{mention(user)} is the {_rules.label(team[user])}. Name a new one first, e.g. "
            f"`/psif team lead {'host' if team[user] is Role.HOST_LEAD else 'is'} @someone`."
            for user in request.users
            if team.get(user) in LEAD_ROLES
        ]
        if not_on_team := [mention(user) for user in request.users if user not in team]:
            change.notes.append(f"{join_words(not_on_team)} isn't on the team.")
        removed = tuple(u for u in request.users if u in team and team[u] not in LEAD_ROLES)
        if removed:
            remove_team_members(
                session=session, review=review, users=removed, actor_id=user_id, now=now
            )
            change.removed = removed
            change.line = views.change_line(user_id, removed, added=False, what="off the team")
        return change
    role, user = request.role, request.user
    other = Role.IS_LEAD if role is Role.HOST_LEAD else Role.HOST_LEAD
    if team.get(user) is role:
        raise Refusal(f"<@{user}> is already the {_rules.label(role)}.")
    if team.get(user) is other:
        raise Refusal(
            f"<@{user}> is the {_rules.label(other)}. The host lead and the "
            "Improvement Service lead are two different people."
        )
    previous = next((held for held, was in team.items() if was is role), None)
    set_lead(
        session=session,
        review=review,
        role=role,
        user_id=user,
        previous_becomes=_rules.TEAM_OF_LEAD[role],
        actor_id=user_id,
        now=now,
    )
    change.welcome = {user: role}
    change.line = views.lead_line(user_id, role, user, previous)
    return change


def _announce(
    session: Session,
    deps: Deps,
    place: Review | Named,
    picture: ReviewSnapshot,
    change: _Change,
    user_id: str,
    tell: Callable[[str], Undelivered],
) -> Answer:
    """Owe the welcomes, the notices and the channel's line; the answer for who made it."""
    today = deps.today()
    for user, role in change.welcome.items():
        message = views.build_welcome(picture, user=user, role=role, added_by=user_id, today=today)
        refused = f"{mention(user)} is on the team, but I couldn't send them their welcome."
        _dm(session, place, user, message, tell(refused))
    for user in change.removed:
        _dm(session, place, user, (views.build_removed_notice(picture, removed_by=user_id), None))
    done = ""  # the person who typed it sees the channel's line, so it isn't said twice
    if change.line:
        refused = "The team change is saved, but I couldn't tell the channel."
        _tell_channel(session, place, change.line, tell(refused))
        told = tuple(change.welcome) or change.removed
        gets = "gets" if len(told) == 1 else "get"
        what = "a welcome by direct message" if change.welcome else "a direct message"
        names = join_words([mention(user) for user in told])
        done = f"Done: the channel is told, and {names} {gets} {what}."
    return _answer(done, change.notes)


def show_peers(deps: Deps, *, channel_id: str, user_id: str) -> tuple[str, list[Block]]:
    """`/psif peers`: the list, with a button to record answers for leads of an open review."""
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        roles = roles_of(review, user_id)
        if not permits(Operation.SEE_PEERS, roles):
            raise Refusal(refusal(Operation.SEE_PEERS))
        is_open = review.closed_at is None
        return views.build_peers(
            peer_councils_of(review),
            review_id=review.id,
            can_record=is_open and permits(Operation.RECORD_PEERS, roles),
            closed_note="" if is_open else closed_note(review),
        )


def peers_form(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    response_url: str | None,
    review_id: int | None = None,
) -> Block:
    """The modal for the channel's open review (the one a button names, if it still is)."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        if review_id is not None and review.id != review_id:
            raise Refusal(OUT_OF_DATE)
        if not permits(Operation.RECORD_PEERS, roles_of(review, user_id)):
            raise Refusal(refusal(Operation.RECORD_PEERS))
        return views.build_peers_modal(
            peer_councils_of(review), review_id=review.id, response_url=response_url or None
        )


def save_peers(
    deps: Deps, *, user_id: str, metadata: views.PeersMetadata, form: _rules.PeersForm
) -> None:
    """Save the answers a lead recorded and owe the channel one line (states only);
    FormErrors for what the form must fix, nothing saved."""
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=metadata.review_id)
        if review is None or review.closed_at is not None:
            raise FormErrors(
                {
                    views.whole_form_block(
                        metadata
                    ): "This review has been closed, so nothing was changed."
                }
            )
        if not permits(Operation.RECORD_PEERS, roles_of(review, user_id)):
            raise FormErrors({views.whole_form_block(metadata): refusal(Operation.RECORD_PEERS)})
        items = peer_councils_of(review)
        check = _rules.check_form(form, items, host_council=review.host_council, today=deps.today())
        if check:
            raise FormErrors(views.form_errors(check))
        by_id = {item.id: item for item in items}
        updates = [_rules.settled(update) for update in form.updates if update.council_id in by_id]
        news: list[tuple[str, PeerState | None]] = [
            (by_id[update.council_id].name, update.state)
            for update in updates
            if _rules.changed(by_id[update.council_id], update)
            and (update.state is not None or by_id[update.council_id].is_partner)
        ]
        if form.new_partner:
            news.append((form.new_partner, PeerState.TO_APPROACH))
        update_peer_councils(
            session=session,
            review=review,
            updates=updates,
            new_partner=form.new_partner,
            actor_id=user_id,
            now=deps.now(),
        )
        if news:
            owe_message(
                session,
                team_id=review.team_id,
                channel=review.channel_id,
                text=views.channel_line(user_id, news),
                if_undelivered=_teller(user_id, metadata.response_url)(
                    "The peer councils' answers are saved, but I couldn't tell the channel."
                ),
            )


def participants_command(
    deps: Deps,
    slack: Callable[[], WebClient],
    *,
    channel_id: str,
    user_id: str,
    typed: str,
    response_url: str | None = None,
) -> Answer:
    """`/psif participants [add @a … | remove @a …]`: list the host participants (review
    team), or change them (leads): a welcome DM to each added, a line in the channel."""
    if not typed.split() or typed.split()[0].lower() == "list":
        with transaction(deps.sessions) as session:
            review = readable_channel_review(session, channel_id=channel_id)
            roles = roles_of(review, user_id)
            if not permits(Operation.SEE_HOST_PARTICIPANTS, roles):
                raise Refusal(refusal(Operation.SEE_HOST_PARTICIPANTS))
            can_change = review.closed_at is None and permits(
                Operation.CHANGE_HOST_PARTICIPANTS, roles
            )
            participants = host_participants_of(session=session, review_id=review.id)
            return views.build_participants(snapshot(review), participants, can_change=can_change)
    with transaction(deps.sessions) as session:
        _check_may_change(session, channel_id, user_id, Operation.CHANGE_HOST_PARTICIPANTS)
    change = _rules.parse_participants_request(typed)
    users = change.users
    if change.adding:
        users = _people(slack, users, to="take part in fieldwork")
    now, tell = deps.now(), _teller(user_id, response_url)
    notes: list[str] = []
    with transaction(deps.sessions) as session:
        operation = Operation.CHANGE_HOST_PARTICIPANTS
        named, team = _named_to_change(session, channel_id, user_id, users, operation)
        if change.adding:
            notes += [
                f"{mention(user)} is on the review team as {_rules.label(team[user])}, so they get "
                "the papers and the schedule already."
                for user in users
                if user in team
            ]
            changed_users = add_host_participants(
                session=session,
                review_id=named.review.id,
                user_ids=[user for user in users if user not in team],
                actor_id=user_id,
                now=now,
            )
            welcome = views.build_participant_welcome(named.review, added_by=user_id)
            for user in changed_users:
                refused = f"{mention(user)} is added, but I couldn't tell them."
                _dm(session, named, user, welcome, tell(refused))
        else:
            changed_users = remove_host_participants(
                session=session,
                review_id=named.review.id,
                user_ids=users,
                actor_id=user_id,
                now=now,
            )
            if missing := [mention(user) for user in users if user not in changed_users]:
                notes.append(f"{join_words(missing)} isn't a host participant.")
        if changed_users:
            what = (
                "as host participants in fieldwork"
                if change.adding
                else "off the host participants"
            )
            line = views.change_line(user_id, changed_users, added=change.adding, what=what)
            refused = "The change is saved, but I couldn't tell the channel."
            _tell_channel(session, named, line, tell(refused))
    done = ""
    if changed_users:
        dms = ", and each person added gets a direct message" if change.adding else ""
        done = f"Done: the channel is told{dms}."
    return _answer(done, notes)
