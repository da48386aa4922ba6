"""A review's team members: changes, each audited."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from bot.reviews.roles import TEAM_ROLES, Role
from storage.models.reviews import Review, TeamMember
from storage.repositories.reviews import record_audit

TEAM_ROLE_VALUES = frozenset(role.value for role in TEAM_ROLES)


def team_of(review: Review) -> dict[str, Role]:
    """user id → their team role (stakeholders aside)."""
    return {m.user_id: Role(m.role) for m in review.members if m.role in TEAM_ROLE_VALUES}


def add_team_members(
    *,
    session: Session,
    review: Review,
    users: tuple[str, ...],
    role: Role,
    organisation: str | None,
    actor_id: str,
    now: datetime,
) -> None:
    for user_id in users:
        review.members.append(
            TeamMember(
                user_id=user_id,
                role=role.value,
                organisation=organisation,
                added_by=actor_id,
                added_at=now,
            )
        )
    details: dict[str, Any] = {"role": role.value, "users": list(users)}
    if organisation:
        details["organisation"] = organisation
    _audit(session, review, actor_id, "team.added", details, now)


def remove_team_members(
    *, session: Session, review: Review, users: tuple[str, ...], actor_id: str, now: datetime
) -> None:
    gone = [m for m in review.members if m.user_id in users and m.role in TEAM_ROLE_VALUES]
    for member in gone:
        review.members.remove(member)
    _audit(
        session,
        review,
        actor_id,
        "team.removed",
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
    _audit(session, review, actor_id, "team.lead", {"role": role.value, "user": user_id}, now)


def _audit(
    session: Session,
    review: Review,
    actor_id: str,
    action: str,
    details: dict[str, Any],
    now: datetime,
) -> None:
    record_audit(
        session=session, review=review, actor_id=actor_id, action=action, details=details, now=now
    )
    session.flush()
