"""Reminder preferences and facts: per-review mutes, unreachable channels, personal snoozes,
and milestones recorded done."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.core.roles import Role
from storage.models.reminders import MilestoneDone, ReminderMute, Snooze, UnreachableChannel
from storage.models.reviews import Review, TeamMember

ALL_RULES = "all"


def mute(*, session: Session, review_id: int, rule: str, actor_id: str, now: datetime) -> bool:
    """Mute a rule (or ALL_RULES) for a review; False if it was already muted."""
    if session.scalar(
        select(ReminderMute.id).where(
            ReminderMute.review_id == review_id, ReminderMute.rule == rule
        )
    ):
        return False
    try:
        with session.begin_nested():
            session.add(
                ReminderMute(review_id=review_id, rule=rule, muted_by=actor_id, muted_at=now)
            )
            session.flush()
    except IntegrityError:
        return False
    return True


def unmute(*, session: Session, review_id: int, rule: str) -> bool:
    """Unmute one rule, or with ALL_RULES every mute; False if nothing was muted."""
    statement = delete(ReminderMute).where(ReminderMute.review_id == review_id)
    if rule != ALL_RULES:
        statement = statement.where(ReminderMute.rule == rule)
    return bool(session.execute(statement).rowcount)  # type: ignore[attr-defined]


def muted_rules(*, session: Session, review_id: int) -> frozenset[str]:
    return frozenset(
        session.scalars(select(ReminderMute.rule).where(ReminderMute.review_id == review_id))
    )


def muted_rules_of_open_reviews(*, session: Session) -> dict[int, frozenset[str]]:
    rows = session.execute(
        select(ReminderMute.review_id, ReminderMute.rule)
        .join(Review, Review.id == ReminderMute.review_id)
        .where(Review.closed_at.is_(None))
    )
    found: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        found[row.review_id].add(row.rule)
    return {review_id: frozenset(rules) for review_id, rules in found.items()}


def mark_channel_unreachable(
    *, session: Session, review_id: int, error: str, now: datetime
) -> bool:
    """Record the channel as unreachable; True only for the caller that recorded it first
    (so the host lead is told once, even with two schedulers)."""
    try:
        with session.begin_nested():
            session.add(UnreachableChannel(review_id=review_id, error=error, since=now))
            session.flush()
    except IntegrityError:
        return False
    return True


def clear_channel_unreachable(*, session: Session, review_id: int) -> bool:
    result = session.execute(
        delete(UnreachableChannel).where(UnreachableChannel.review_id == review_id)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def channel_problem(*, session: Session, review_id: int) -> str | None:
    return session.scalar(
        select(UnreachableChannel.error).where(UnreachableChannel.review_id == review_id)
    )


def unreachable_review_ids(*, session: Session) -> set[int]:
    return set(session.scalars(select(UnreachableChannel.review_id)))


def set_snooze(*, session: Session, user_id: str, paused_through: date, now: datetime) -> None:
    snooze = session.get(Snooze, user_id)
    if snooze is None:
        session.add(Snooze(user_id=user_id, paused_through=paused_through, set_at=now))
    else:
        snooze.paused_through, snooze.set_at = paused_through, now
    session.flush()


def clear_snooze(*, session: Session, user_id: str) -> bool:
    result = session.execute(delete(Snooze).where(Snooze.user_id == user_id))
    return bool(result.rowcount)  # type: ignore[attr-defined]


def paused_through(*, session: Session, user_id: str, today: date) -> date | None:
    """The last paused day of the user's snooze, if it is still running."""
    snooze = session.get(Snooze, user_id)
    if snooze is None or snooze.paused_through < today:
        return None
    return snooze.paused_through


def snoozes_running(*, session: Session, today: date) -> dict[str, date]:
    rows = session.execute(
        select(Snooze.user_id, Snooze.paused_through).where(Snooze.paused_through >= today)
    )
    return {row.user_id: row.paused_through for row in rows}


def record_done(
    *, session: Session, review_id: int, milestone: str, actor_id: str, now: datetime
) -> bool:
    """Record a milestone done; False if it already was."""
    try:
        with session.begin_nested():
            session.add(
                MilestoneDone(
                    review_id=review_id, milestone=milestone, done_by=actor_id, done_at=now
                )
            )
            session.flush()
    except IntegrityError:
        return False
    return True


def done_milestones(*, session: Session, review_id: int) -> frozenset[str]:
    return frozenset(
        session.scalars(select(MilestoneDone.milestone).where(MilestoneDone.review_id == review_id))
    )


def done_milestones_of(*, session: Session, review_ids: Sequence[int]) -> dict[int, frozenset[str]]:
    """Milestones recorded done, for each of `review_ids` that has any."""
    rows = session.execute(
        select(MilestoneDone.review_id, MilestoneDone.milestone).where(
            MilestoneDone.review_id.in_(list(review_ids))
        )
    )
    found: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        found[row.review_id].add(row.milestone)
    return {review_id: frozenset(keys) for review_id, keys in found.items()}


def done_milestones_of_open_reviews(*, session: Session) -> dict[int, frozenset[str]]:
    rows = session.execute(
        select(MilestoneDone.review_id, MilestoneDone.milestone)
        .join(Review, Review.id == MilestoneDone.review_id)
        .where(Review.closed_at.is_(None))
    )
    found: dict[int, set[str]] = defaultdict(set)
    for row in rows:
        found[row.review_id].add(row.milestone)
    return {review_id: frozenset(keys) for review_id, keys in found.items()}


def leads_to_tell(*, session: Session, review_id: int) -> list[str]:
    """The host leads, or the Improvement Service leads if no host lead is named."""
    rows = session.execute(
        select(TeamMember.user_id, TeamMember.role)
        .where(
            TeamMember.review_id == review_id,
            TeamMember.role.in_([Role.HOST_LEAD.value, Role.IS_LEAD.value]),
        )
        .order_by(TeamMember.id)
    ).all()
    host = [row.user_id for row in rows if row.role == Role.HOST_LEAD.value]
    return host or list(dict.fromkeys(row.user_id for row in rows))
