"""The store of request signatures the door has let in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models.requests import SeenRequest

# Run on every request the door lets in, so built once per dialect.
_REMEMBER = {
    dialect: insert(SeenRequest)
    .values(signature=bindparam("signature"), expires_at=bindparam("expires_at"))
    .on_conflict_do_nothing()
    .returning(SeenRequest.signature)
    for dialect, insert in (("postgresql", postgresql_insert), ("sqlite", sqlite_insert))
}


def remember_signature(*, session: Session, signature: str, expires_at: datetime) -> bool:
    """Record a signature; False if it was recorded before. One statement: a conflict is
    skipped by the database rather than raised, caught and rolled back."""
    statement = _REMEMBER[session.get_bind().dialect.name]
    found = session.execute(statement, {"signature": signature, "expires_at": expires_at})
    return found.first() is not None


def forget_expired_signatures(*, session: Session, now: datetime) -> None:
    """Drop signatures whose requests the door would now refuse as stale anyway."""
    session.execute(delete(SeenRequest).where(SeenRequest.expires_at < now))
