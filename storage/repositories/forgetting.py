"""Forgetting people: one person everywhere (`/psif forget-me`), and a closed review's
self-assessment personal data (the retention purge), in every table found from the schema's
metadata, so a table added later is covered without a change here. What each kind of record
becomes is README's "Forgetting someone": personal records go, closed votes keep a stand-in,
KEPT_COLUMNS stay, and every other string or JSON column has the id rewritten. Answers are
unlinked by key (storage.repositories.self_assessment_answers)."""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    ColumnElement,
    String,
    Table,
    Text,
    and_,
    cast,
    delete,
    exists,
    or_,
    select,
    true,
)
from sqlalchemy import update as update_rows
from sqlalchemy.orm import Session

from bot.core.people import FORGOTTEN, REMOVED_PERSON
from bot.core.roles import Role
from storage.models.afis import AfiVote, AfiVoteClick, AfiVoteRound
from storage.models.fieldwork import FieldworkSessionRunner
from storage.models.improvement_actions import Action
from storage.models.installations import installations
from storage.models.outbox import OutboxItem, OutboxStatus
from storage.models.reminders import CHANNEL_RECIPIENT, Nudge, Snooze
from storage.models.reviews import AuditEvent, HostParticipant, Review, TeamMember
from storage.models.self_assessment import (
    ChecklistCompletion,
    ChecklistInvitationMessage,
    ChecklistParticipant,
    ChecklistResponse,
    ChecklistRound,
)
from storage.repositories._sql import all_of, rowcount, set_where
from storage.repositories.self_assessment_answers import rekey
from storage.repositories.team import TEAM_ROLE_VALUES
from storage.schema import metadata

# (table, column) pairs where a forgotten person's id stays (README, "Forgetting someone").
KEPT_COLUMNS = frozenset(
    {
        ("team_members", "user_id"),  # review-team roles (stakeholder roles go)
        ("actions", "owner_id"),
        ("fieldwork_session_runners", "user_id"),
        ("nudges", "recipient"),  # only the recent ones about kept work
    }
)
SELF_ASSESSMENT_RULES = "self_assessment.%"
SELF_ASSESSMENT_AUDIT = "checklist.%"
STAKEHOLDERS_ADDED_AUDIT = "team.added"
_STAKEHOLDER = TeamMember.role == Role.STAKEHOLDER.value
# Audit entries about the self-assessment: its own, and stakeholders being added.
_SELF_ASSESSMENT_AUDIT = or_(
    AuditEvent.action.like(SELF_ASSESSMENT_AUDIT),
    and_(
        AuditEvent.action == STAKEHOLDERS_ADDED_AUDIT,
        AuditEvent.details["role"].as_string() == Role.STAKEHOLDER.value,
    ),
)
# A closed review's self-assessment personal data, which the retention purge deletes: by
# table, which of the review's rows.
_PERSONAL: tuple[tuple[Any, ColumnElement[bool]], ...] = (
    (ChecklistParticipant, true()),
    (ChecklistInvitationMessage, true()),
    (Nudge, Nudge.recipient != CHANNEL_RECIPIENT),
    (TeamMember, _STAKEHOLDER),
    (AuditEvent, _SELF_ASSESSMENT_AUDIT),
)
DELIVERED = (OutboxStatus.SENT.value, OutboxStatus.FAILED.value)
# Payload fields that say who a message goes to.
ADDRESS_FIELDS = ("channel", "user_id", "user")


@dataclass(frozen=True)
class Person:
    """A Slack user id and how to find it in text: whole, not inside a longer id."""

    user_id: str

    def mentions(self) -> re.Pattern[str]:
        """`<@U1>` or `<@U1|name>`, raw or as mrkdwn-escaped text."""
        return re.compile(rf"(?:<|&lt;)@{re.escape(self.user_id)}(?:\|[^>&]*)?(?:>|&gt;)")

    def token(self) -> re.Pattern[str]:
        return re.compile(rf"(?<![A-Za-z0-9]){re.escape(self.user_id)}(?![A-Za-z0-9])")

    def found_in(self, text: str) -> bool:
        return bool(self.token().search(text))

    def rewrite(self, value: Any) -> Any:
        """`value` (text, or JSON) with every mention and bare id of the person replaced."""
        if isinstance(value, str):
            return self.token().sub(FORGOTTEN, self.mentions().sub(REMOVED_PERSON, value))
        if isinstance(value, list):
            return [self.rewrite(item) for item in value]
        if isinstance(value, dict):
            return {key: self.rewrite(item) for key, item in value.items()}
        return value


@dataclass(frozen=True)
class Kept:
    """What stays of a forgotten person, for telling them (and a lead can change)."""

    team_channels: tuple[str, ...]  # channels of the reviews whose team they are on
    actions: int
    sessions: int


def reviews_knowing(*, session: Session, user_id: str) -> list[int]:
    """Reviews whose self-assessment records name the user (invited, or invited others)."""
    return all_of(
        session,
        select(Review.id)
        .where(
            or_(
                exists().where(
                    ChecklistParticipant.review_id == Review.id,
                    or_(
                        ChecklistParticipant.user_id == user_id,
                        ChecklistParticipant.invited_by == user_id,
                    ),
                ),
                exists().where(
                    ChecklistRound.review_id == Review.id, ChecklistRound.issued_by == user_id
                ),
            )
        )
        .order_by(Review.id),
    )


def forget_person(*, session: Session, user_id: str, keep_reminders_since: date) -> list[int]:
    """Forget `user_id` everywhere but KEPT_COLUMNS; returns the open vote rounds whose votes
    were taken back. Reminders to them from before `keep_reminders_since` go; later ones
    about kept work stay, so none of those is sent twice."""
    person = Person(user_id)
    for model, where in (
        (Snooze, Snooze.user_id == user_id),
        (AfiVoteClick, AfiVoteClick.voter_id == user_id),
        (ChecklistParticipant, ChecklistParticipant.user_id == user_id),
        (ChecklistInvitationMessage, ChecklistInvitationMessage.user_id == user_id),
        (HostParticipant, HostParticipant.user_id == user_id),
        (TeamMember, and_(TeamMember.user_id == user_id, _STAKEHOLDER)),
        (
            Nudge,
            and_(
                Nudge.recipient == user_id,
                or_(Nudge.rule.like(SELF_ASSESSMENT_RULES), Nudge.day < keep_reminders_since),
            ),
        ),
    ):
        session.execute(delete(model).where(where))
    session.execute(
        update_rows(installations)
        .where(installations.c.user_id == user_id)
        .values(
            user_token=None, user_scopes=None, user_refresh_token=None, user_token_expires_at=None
        )
    )
    reopened: list[int] = []
    for round_id, closed_at in session.execute(
        select(AfiVoteRound.id, AfiVoteRound.closed_at)
        .where(AfiVoteRound.id.in_(select(AfiVote.round_id).where(AfiVote.voter_id == user_id)))
        .order_by(AfiVoteRound.id)
    ).all():
        if closed_at is None:
            session.execute(
                delete(AfiVote).where(AfiVote.round_id == round_id, AfiVote.voter_id == user_id)
            )
            reopened.append(round_id)
        else:
            _stand_in_votes(session, round_id, user_id)
    forget_messages(session=session, people=[person])
    session.flush()
    for table in metadata.sorted_tables:
        rewrite_in(session=session, table=table, person=person)
    return reopened


def _stand_in_votes(session: Session, round_id: int, user_id: str) -> None:
    """Their votes in a closed vote stay, under a stand-in name nothing links to them."""
    where = (AfiVote.round_id == round_id, AfiVote.voter_id == user_id)
    set_where(session, AfiVote, *where, voter_id=f"{FORGOTTEN}-{secrets.token_hex(6)}")


def kept_of(*, session: Session, user_id: str) -> Kept:
    """What of the person stays after forgetting (KEPT_COLUMNS, reminders aside)."""
    channels = session.scalars(
        select(Review.channel_id)
        .join(TeamMember, TeamMember.review_id == Review.id)
        .where(TeamMember.user_id == user_id, ~_STAKEHOLDER)
        .distinct()
        .order_by(Review.channel_id)
    ).all()
    actions = session.scalars(select(Action.id).where(Action.owner_id == user_id)).all()
    runs = session.scalars(
        select(FieldworkSessionRunner.fieldwork_session_id).where(
            FieldworkSessionRunner.user_id == user_id
        )
    ).all()
    return Kept(team_channels=tuple(channels), actions=len(actions), sessions=len(runs))


def reviews_due_for_purge(*, session: Session, closed_before: datetime) -> list[int]:
    """Reviews closed before the cutoff that still hold self-assessment personal data."""
    return all_of(
        session,
        select(Review.id)
        .where(
            Review.closed_at.is_not(None),
            Review.closed_at < closed_before,
            or_(
                *(exists().where(model.review_id == Review.id, only) for model, only in _PERSONAL),
                exists().where(
                    ChecklistRound.review_id == Review.id, ChecklistRound.issued_by != FORGOTTEN
                ),
            ),
        )
        .order_by(Review.id),
    )


def purge_review(*, session: Session, review_id: int) -> None:
    """Remove a closed review's self-assessment personal data; anonymous answers stay. The
    people it knew only through the self-assessment are also rewritten in the review's audit
    trail, votes and delivered messages (their vote clicks go)."""
    review = session.get(Review, review_id)
    team = {m.user_id for m in review.members if m.role in TEAM_ROLE_VALUES} if review else set()
    outsiders = {
        *session.scalars(
            select(ChecklistParticipant.user_id).where(ChecklistParticipant.review_id == review_id)
        ),
        *session.scalars(
            select(TeamMember.user_id).where(TeamMember.review_id == review_id, _STAKEHOLDER)
        ),
    } - team
    keys = session.scalars(
        select(ChecklistResponse.respondent_key)
        .where(ChecklistResponse.review_id == review_id)
        .distinct()
    ).all()
    for key in keys:
        rekey(session=session, review_id=review_id, old_key=key)
    for model, only in ((ChecklistCompletion, true()), *_PERSONAL):
        session.execute(delete(model).where(model.review_id == review_id, only))
    set_where(session, ChecklistRound, ChecklistRound.review_id == review_id, issued_by=FORGOTTEN)
    people = [Person(user) for user in sorted(outsiders)]
    rounds = select(AfiVoteRound.id).where(AfiVoteRound.review_id == review_id)
    for person in people:
        session.execute(
            delete(AfiVoteClick).where(
                AfiVoteClick.round_id.in_(rounds), AfiVoteClick.voter_id == person.user_id
            )
        )
        for round_id in session.scalars(
            select(AfiVote.round_id)
            .where(AfiVote.round_id.in_(rounds), AfiVote.voter_id == person.user_id)
            .distinct()
        ):
            _stand_in_votes(session, round_id, person.user_id)
        rewrite_in(
            session=session,
            table=metadata.tables[AuditEvent.__tablename__],
            person=person,
            where=AuditEvent.review_id == review_id,
        )
    forget_messages(session=session, people=people, undelivered_too=False)


def forget_ended_snoozes(*, session: Session, today: date) -> int:
    """Remove snoozes that ended before `today` (they pause nothing any more)."""
    return rowcount(session, delete(Snooze).where(Snooze.paused_through < today))


def forget_messages(
    *, session: Session, people: list[Person], undelivered_too: bool = True
) -> None:
    """Messages naming the people: delivered (or failed) ones keep no text or recipient;
    undelivered ones to them are dropped (`undelivered_too`), and undelivered ones to
    others that mention them are left to `rewrite_in`."""
    if not people:
        return
    names = [
        cast(column, Text).contains(person.user_id, autoescape=True)
        for person in people
        for column in (OutboxItem.lane, OutboxItem.coalesce_key, OutboxItem.payload)
    ]
    for item in session.scalars(select(OutboxItem).where(or_(*names))):
        lane, key, payload = item.lane, item.coalesce_key or "", item.payload or {}
        named = [p for p in people if any(p.found_in(t) for t in (lane, key, repr(payload)))]
        if not named:
            continue
        if item.status in DELIVERED:
            item.payload = {}
            item.lane = FORGOTTEN
            item.coalesce_key = None
        elif undelivered_too and any(
            p.found_in(lane)
            or p.found_in(key)
            or any(payload.get(field) == p.user_id for field in ADDRESS_FIELDS)
            for p in named
        ):
            session.delete(item)
    session.flush()


def rewrite_in(
    *, session: Session, table: Table, person: Person, where: ColumnElement[bool] | None = None
) -> None:
    """Rewrite the person's id (see Person.rewrite) in the table's string and JSON columns
    (wherever a Slack id could be written), but for KEPT_COLUMNS; `where` narrows the rows."""
    columns = [
        column
        for column in table.columns
        if isinstance(column.type, String | JSON) and (table.name, column.name) not in KEPT_COLUMNS
    ]
    if not columns:
        return
    keys = list(table.primary_key.columns)
    query = select(*dict.fromkeys([*keys, *columns])).where(
        or_(*(cast(column, Text).contains(person.user_id, autoescape=True) for column in columns))
    )
    if where is not None:
        query = query.where(where)
    for row in session.execute(query).mappings().all():
        changes = {
            column.name: rewritten
            for column in columns
            if (rewritten := person.rewrite(row[column.name])) != row[column.name]
        }
        if changes:
            set_where(session, table, *(key == row[key.name] for key in keys), **changes)
