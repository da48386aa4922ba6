"""Requests already seen (the replay check's signatures and event ids) and already applied
(a use case's keys, so a form submitted twice saves once)."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models.requests import AppliedRequest, SeenRequest
from storage.repositories._sql import rowcount


def _insert_new(model: type[SeenRequest | AppliedRequest], *columns: str) -> dict[str, Any]:
    """INSERT … ON CONFLICT DO NOTHING RETURNING key, by dialect: these run on every
    request, so they are built once."""
    return {
        dialect: insert(model)
        .values({column: bindparam(column) for column in columns})
        .on_conflict_do_nothing()
        .returning(model.key)
        for dialect, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
    }


_REMEMBER = _insert_new(SeenRequest, "key", "expires_on")
_MARK_APPLIED = _insert_new(AppliedRequest, "key", "applied_at")


def remember(*, session: Session, key: str, expires_on: date) -> bool:
    """Record a key; False if it was recorded before. One statement: a conflict is skipped
    by the database rather than raised, caught and rolled back."""
    statement = _REMEMBER[session.get_bind().dialect.name]
    found = session.execute(statement, {"key": key, "expires_on": expires_on})
    return found.first() is not None


def forget_expired(*, session: Session, today: date) -> None:
    """Drop keys whose expiry day has passed."""
    session.execute(delete(SeenRequest).where(SeenRequest.expires_on < today))


def mark_applied(*, session: Session, key: str, now: datetime) -> bool:
    """Record that the request `key` is applied in this transaction; False if it already
    was (a second delivery of the same submission or command). Only the day is kept
    (midnight UTC): a time beside the key would date the change it was written with."""
    statement = _MARK_APPLIED[session.get_bind().dialect.name]
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    found = session.execute(statement, {"key": key[:200], "applied_at": day})
    return found.first() is not None


def was_applied(*, session: Session, key: str) -> bool:
    """Whether the request `key` has been applied (see mark_applied); changes nothing."""
    return session.get(AppliedRequest, key[:200]) is not None


def forget_applied(*, session: Session, before: datetime) -> int:
    """Forget keys of requests applied before `before`; return how many."""
    return rowcount(session, delete(AppliedRequest).where(AppliedRequest.applied_at < before))
