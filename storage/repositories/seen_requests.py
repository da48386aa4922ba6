"""The store of requests and events the replay check has let in."""

from __future__ import annotations

from datetime import date

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models.requests import SeenRequest

# Run on every request let in, so built once per dialect.
_REMEMBER = {
    dialect: insert(SeenRequest)
    .values(key=bindparam("key"), expires_on=bindparam("expires_on"))
    .on_conflict_do_nothing()
    .returning(SeenRequest.key)
    for dialect, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


def remember(*, session: Session, key: str, expires_on: date) -> bool:
    """Record a key; False if it was recorded before. One statement: a conflict is skipped
    by the database rather than raised, caught and rolled back."""
    statement = _REMEMBER[session.get_bind().dialect.name]
    found = session.execute(statement, {"key": key, "expires_on": expires_on})
    return found.first() is not None


def forget_expired(*, session: Session, today: date) -> None:
    """Drop keys whose expiry day has passed."""
    session.execute(delete(SeenRequest).where(SeenRequest.expires_on < today))
