"""A review's team members and peer councils: changes, each audited."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy import update as update_rows
from sqlalchemy.orm import Session

from bot.core.peers import PeerCouncilItem, PeerState, PeerUpdate
from bot.core.roles import TEAM_ROLES, Role
from bot.core.snapshot import ReviewSnapshot
from storage.models.reviews import AuditEvent, HostParticipant, PeerCouncil, Review, TeamMember
from storage.repositories._sql import all_of
from storage.repositories.reviews import LATEST_REVIEW_ID_IN_CHANNEL, snapshot_of

TEAM_ROLE_VALUES = frozenset(role.value for role in TEAM_ROLES)
REMOVED = "team.removed"


def team_of(review: Review) -> dict[str, Role]:
    """user id → their team role (stakeholders aside)."""
    return {m.user_id: Role(m.role) for m in review.members if m.role in TEAM_ROLE_VALUES}


@dataclass(frozen=True)
class Named:
    """The channel's latest review as adding people sees it, without loading its team."""

    review: ReviewSnapshot  # its members: only the people named
    team_id: str
    channel_id: str
    host_council: str
    closed_at: datetime | None


# Built once: building a statement costs as much CPU as running it.
_NAMED_IN_CHANNEL = (
    select(*Review.__table__.columns, TeamMember.user_id, TeamMember.role)
    .outerjoin(
        TeamMember,
        (TeamMember.review_id == Review.id)
        & TeamMember.user_id.in_(bindparam("user_ids", expanding=True)),
    )
    .where(Review.id == LATEST_REVIEW_ID_IN_CHANNEL)
)


def named_in_channel(*, session: Session, channel_id: str, user_ids: Sequence[str]) -> Named | None:
    """What `latest_review_in_channel` finds, with the roles of `user_ids` only: one statement
    of plain columns, whatever the size of the team."""
    rows = session.execute(
        _NAMED_IN_CHANNEL, {"channel_id": channel_id, "user_ids": list(user_ids)}
    ).all()
    if not rows:
        return None
    head = rows[0]
    members = tuple((row.user_id, Role(row.role)) for row in rows if row.user_id is not None)
    review = snapshot_of(head, members=members)
    return Named(review, head.team_id, head.channel_id, head.host_council, head.closed_at)


def add_to_team(
    *,
    session: Session,
    review_id: int,
    user_ids: Sequence[str],
    role: Role,
    organisation: str | None,
    actor_id: str,
    now: datetime,
) -> None:
    """Add people who hold no team role yet, audited as `add_members` audits them."""
    session.add_all(
        TeamMember(
            review_id=review_id,
            user_id=user_id,
            role=role.value,
            organisation=organisation,
            added_by=actor_id,
            added_at=now,
        )
        for user_id in user_ids
    )
    details: dict[str, Any] = {"role": role.value, "users": list(user_ids)}
    if organisation:
        details["organisation"] = organisation
    # Flushed with the announcements the change owes, at commit: one flush, not two.
    session.add(
        AuditEvent(
            review_id=review_id, actor_id=actor_id, action="team.added", details=details, at=now
        )
    )


def ever_on_team(*, session: Session, review: Review) -> set[str]:
    """Everyone who has held a team role in the review: today's team and anyone removed
    from it since, as the audit trail records (one query)."""
    ever = set(team_of(review))
    for details in session.scalars(
        select(AuditEvent.details).where(
            AuditEvent.review_id == review.id, AuditEvent.action == REMOVED
        )
    ):
        for entry in details.get("users", []):
            ever.add(str(entry.get("user")) if isinstance(entry, dict) else str(entry))
    return ever


def remove_team_members(
    *, session: Session, review: Review, users: tuple[str, ...], actor_id: str, now: datetime
) -> None:
    gone = [m for m in review.members if m.user_id in users and m.role in TEAM_ROLE_VALUES]
    for member in gone:
        review.members.remove(member)
    _audit(
        session,
        review.id,
        actor_id,
        REMOVED,
        {"users": [{"user": m.user_id, "role": m.role} for m in gone]},
        now,
    )


def set_lead(
    *,
    session: Session,
    review: Review,
    role: Role,
    user_id: str,
    previous_becomes: Role,
    actor_id: str,
    now: datetime,
) -> None:
    """Make `user_id` the lead; the former lead keeps `previous_becomes`."""
    for member in list(review.members):
        if member.user_id == user_id and member.role in TEAM_ROLE_VALUES:
            review.members.remove(member)
        elif member.role == role.value:
            member.role = previous_becomes.value
    session.flush()  # the former lead's row changes before the new lead's row is added
    review.members.append(
        TeamMember(user_id=user_id, role=role.value, added_by=actor_id, added_at=now)
    )
    _audit(session, review.id, actor_id, "team.lead", {"role": role.value, "user": user_id}, now)


def _audit(
    session: Session, review_id: int, actor_id: str, action: str, details: Any, now: datetime
) -> None:
    session.add(
        AuditEvent(review_id=review_id, actor_id=actor_id, action=action, details=details, at=now)
    )
    session.flush()


def peer_councils_of(review: Review) -> list[PeerCouncilItem]:
    """The councils and partner organisations approached for peer reviewers, in order."""
    return [
        PeerCouncilItem(
            id=peer.id,
            name=peer.council,
            is_partner=peer.is_partner,
            state=PeerState(peer.state),
            approached_on=peer.approached_on,
            nominees=peer.nominees,
            declined_reason=peer.declined_reason,
        )
        for peer in review.peer_councils
    ]


def update_peer_councils(
    *,
    session: Session,
    review: Review,
    updates: Sequence[PeerUpdate],
    new_partner: str,
    actor_id: str,
    now: datetime,
) -> None:
    """Record each council's state as `updates` say (a None state removes a partner
    organisation) and add `new_partner`; one audit record lists what changed."""
    by_id = {peer.id: peer for peer in review.peer_councils}
    changes: list[dict[str, Any]] = []
    for update in updates:
        peer = by_id.get(update.council_id)
        if peer is None:  # taken off the list by `/psif edit` while the form was open
            continue
        if update.state is None:
            if peer.is_partner:
                review.peer_councils.remove(peer)
                changes.append({"council": peer.council, "removed": True})
            continue
        before = _answer(peer)
        peer.state = update.state.value
        peer.approached_on = update.approached_on
        peer.nominees = update.nominees
        peer.declined_reason = update.declined_reason
        after = _answer(peer)
        if after != before:
            changes.append({"council": peer.council, "from": before, "to": after})
    if new_partner:
        position = max((peer.position for peer in review.peer_councils), default=0) + 1
        review.peer_councils.append(
            PeerCouncil(council=new_partner, position=position, is_partner=True)
        )
        changes.append({"council": new_partner, "added": True})
    if changes:
        _audit(session, review.id, actor_id, "peers.updated", {"changes": changes}, now)


def _answer(peer: PeerCouncil) -> dict[str, Any]:
    """What the audit records of a council's answer."""
    return {
        "state": peer.state,
        "approached_on": peer.approached_on.isoformat() if peer.approached_on else None,
        "nominees": peer.nominees,
        "declined_reason": peer.declined_reason,
    }


def _host_participants(session: Session, review_id: int, *where: Any) -> list[str]:
    """The review's host participants matching `where`, in the order they were added."""
    query = select(HostParticipant.user_id).where(HostParticipant.review_id == review_id, *where)
    return all_of(session, query.order_by(HostParticipant.added_at, HostParticipant.user_id))


def host_participants_of(*, session: Session, review_id: int) -> list[str]:
    return _host_participants(session, review_id)


def host_participants_sent_the_schedule(*, session: Session, review_id: int) -> list[str]:
    """The review's host participants once a lead has sent them the fieldwork schedule
    (`participants.sent`), so they hear of its changes; none before, in one statement."""
    sent = select(AuditEvent.id).where(
        AuditEvent.review_id == review_id, AuditEvent.action == "participants.sent"
    )
    return _host_participants(session, review_id, sent.exists())


def add_host_participants(
    *, session: Session, review_id: int, user_ids: Sequence[str], actor_id: str, now: datetime
) -> list[str]:
    """Add the people not yet host participants; returns those added."""
    known = set(host_participants_of(session=session, review_id=review_id))
    added = [user for user in dict.fromkeys(user_ids) if user not in known]
    session.add_all(
        HostParticipant(review_id=review_id, user_id=user, added_by=actor_id, added_at=now)
        for user in added
    )
    if added:
        _audit(session, review_id, actor_id, "participants.added", {"users": added}, now)
    session.flush()
    return added


def remove_host_participants(
    *, session: Session, review_id: int, user_ids: Sequence[str], actor_id: str, now: datetime
) -> list[str]:
    """Remove those who are host participants; returns those removed."""
    known = set(host_participants_of(session=session, review_id=review_id))
    removed = [user for user in dict.fromkeys(user_ids) if user in known]
    if removed:
        session.execute(
            delete(HostParticipant).where(
                HostParticipant.review_id == review_id, HostParticipant.user_id.in_(removed)
            )
        )
        _audit(session, review_id, actor_id, "participants.removed", {"users": removed}, now)
    return removed


def host_participants_without_papers(*, session: Session, review_id: int) -> list[str]:
    """The host participants the papers haven't gone to yet."""
    return _host_participants(session, review_id, HostParticipant.papers_sent_at.is_(None))


def record_papers_sent(
    *, session: Session, review_id: int, user_ids: Sequence[str], now: datetime
) -> None:
    session.execute(
        update_rows(HostParticipant)
        .where(HostParticipant.review_id == review_id, HostParticipant.user_id.in_(user_ids))
        .values(papers_sent_at=now)
    )
