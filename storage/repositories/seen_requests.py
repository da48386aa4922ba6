"""The store of request signatures the door has let in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from storage.models.requests import SeenRequest


def remember_signature(*, session: Session, signature: str, expires_at: datetime) -> bool:
    """Record a signature; False if it was recorded before. One statement: a conflict is
    skipped by the database rather than raised, caught and rolled back."""
    dialect = session.get_bind().dialect.name
    insert = postgresql_insert if dialect == "postgresql" else sqlite_insert
    statement = (
        insert(SeenRequest)
        .values(signature=signature, expires_at=expires_at)
        .on_conflict_do_nothing()
        .returning(SeenRequest.signature)
    )
    return session.execute(statement).first() is not None


def forget_expired_signatures(*, session: Session, now: datetime) -> None:
    """Drop signatures whose requests the door would now refuse as stale anyway."""
    session.execute(delete(SeenRequest).where(SeenRequest.expires_at < now))
