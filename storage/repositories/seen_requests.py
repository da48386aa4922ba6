"""The store of request signatures the door has let in."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlalchemy.orm import Session

from storage.models.requests import SeenRequest


def remember_signature(*, session: Session, signature: str, expires_at: datetime) -> None:
    """Record a signature; flushing raises IntegrityError if it was recorded before."""
    session.add(SeenRequest(signature=signature, expires_at=expires_at))
    session.flush()


def forget_expired_signatures(*, session: Session, now: datetime) -> None:
    """Drop signatures whose requests the door would now refuse as stale anyway."""
    session.execute(delete(SeenRequest).where(SeenRequest.expires_at < now))
