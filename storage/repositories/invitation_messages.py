"""Where each invitation DM is: written when it is delivered, read when its person finishes.

Nothing here is written when anyone answers or finishes (see ChecklistInvitationMessage).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models.self_assessment import ChecklistInvitationMessage


def remember_invitation_message(
    *, session: Session, review_id: int, user_id: str, channel_id: str, ts: str
) -> None:
    """Record (or move) the user's invitation DM for this review."""
    session.merge(
        ChecklistInvitationMessage(
            review_id=review_id, user_id=user_id, channel_id=channel_id, ts=ts
        )
    )
    session.flush()


def invitation_message(*, session: Session, review_id: int, user_id: str) -> tuple[str, str] | None:
    """(channel id, ts) of the user's invitation DM for this review, if it was delivered."""
    found = session.scalars(
        select(ChecklistInvitationMessage).where(
            ChecklistInvitationMessage.review_id == review_id,
            ChecklistInvitationMessage.user_id == user_id,
        )
    ).first()
    return None if found is None else (found.channel_id, found.ts)
