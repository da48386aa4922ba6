"""Forgetting people and purging old reviews; sealing and re-keying pseudonymous answers.

These reach into other features' tables (team members, nudges, the audit trail) only to
remove what identifies someone in connection with the self-assessment; everything else a
review records stays as it is.
"""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import Table, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from bot.core.roles import Role
from storage.models.reminders import CHANNEL_RECIPIENT, Nudge
from storage.models.reviews import AuditEvent, Review, TeamMember
from storage.models.self_assessment import (
    FORGOTTEN,
    ChecklistCompletion,
    ChecklistInvitationMessage,
    ChecklistParticipant,
    ChecklistResponse,
    ChecklistRound,
)

SELF_ASSESSMENT_REMINDERS = "self_assessment.reminder.%"
INVITED_AUDIT = "checklist.invited"


def _random_key() -> str:
    return secrets.token_hex(32)


def seal_answers(*, session: Session, round_: ChecklistRound, now: datetime) -> None:
    """Rewrite a round's answers and completions in key order, in this one transaction.

    Afterwards neither the rows' storage order nor PostgreSQL's record of the transaction
    that wrote each row says in what order, or together with what, people answered.
    """
    for table in (ChecklistResponse.__table__, ChecklistCompletion.__table__):
        assert isinstance(table, Table)
        rows = (
            session.execute(
                select(table)
                .where(table.c.review_id == round_.review_id)
                .order_by(*table.primary_key.columns)
            )
            .mappings()
            .all()
        )
        session.execute(delete(table).where(table.c.review_id == round_.review_id))
        if rows:
            session.execute(table.insert(), [dict(row) for row in rows])
    round_.sealed_at = now
    session.flush()


def rounds_to_seal(*, session: Session, today: date) -> list[ChecklistRound]:
    """Closed rounds (early, by date or with results out) whose answers are not yet sealed."""
    return list(
        session.scalars(
            select(ChecklistRound).where(
                ChecklistRound.sealed_at.is_(None),
                or_(
                    ChecklistRound.closed_at.is_not(None),
                    ChecklistRound.results_released_at.is_not(None),
                    ChecklistRound.closes_on < today,
                ),
            )
        )
    )


def rekey(*, session: Session, review_id: int, old_key: str, new_key: str) -> bool:
    """Move a respondent's answers and completion to a new key; True if anything moved."""
    moved = False
    for model in (ChecklistResponse, ChecklistCompletion):
        result = session.execute(
            update(model)
            .where(model.review_id == review_id, model.respondent_key == old_key)
            .values(respondent_key=new_key)
            .execution_options(synchronize_session=False)
        )
        moved = moved or bool(result.rowcount)  # type: ignore[attr-defined]
    return moved


def rounds_with_participants(*, session: Session) -> list[tuple[int, str, list[str]]]:
    """(review id, key salt, invited user ids) for every round that still knows people."""
    found: dict[int, tuple[str, list[str]]] = {}
    for review_id, salt, user_id in session.execute(
        select(ChecklistRound.review_id, ChecklistRound.key_salt, ChecklistParticipant.user_id)
        .join(ChecklistParticipant, ChecklistParticipant.review_id == ChecklistRound.review_id)
        .order_by(ChecklistRound.review_id)
    ):
        found.setdefault(review_id, (salt, []))[1].append(user_id)
    return [(review_id, salt, users) for review_id, (salt, users) in found.items()]


def forget_in_review(
    *, session: Session, review_id: int, user_id: str, respondent_key: str
) -> None:
    """Remove a person from one review's self-assessment; their answers stay, unlinkably.

    The answers move to a random key nobody can compute, so not even the respondent secret
    links them back; their finished mark goes, as do their reminders and the record of
    their invitation.
    """
    session.execute(
        delete(ChecklistCompletion).where(
            ChecklistCompletion.review_id == review_id,
            ChecklistCompletion.respondent_key == respondent_key,
        )
    )
    rekey(session=session, review_id=review_id, old_key=respondent_key, new_key=_random_key())
    _forget_identity(session=session, review_ids=[review_id], user_id=user_id)


def reviews_knowing(*, session: Session, user_id: str) -> list[int]:
    """Reviews whose self-assessment records name the user (invited, or invited others)."""
    return list(
        session.scalars(
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
            .order_by(Review.id)
        )
    )


def _forget_identity(*, session: Session, review_ids: list[int], user_id: str) -> None:
    for named in (ChecklistParticipant, ChecklistInvitationMessage):
        session.execute(
            delete(named).where(named.review_id.in_(review_ids), named.user_id == user_id)
        )
    for model, column in (
        (ChecklistParticipant, ChecklistParticipant.invited_by),
        (ChecklistRound, ChecklistRound.issued_by),
    ):
        session.execute(
            update(model)
            .where(model.review_id.in_(review_ids), column == user_id)
            .values({column.key: FORGOTTEN})
            .execution_options(synchronize_session=False)
        )
    session.execute(
        delete(Nudge).where(
            Nudge.review_id.in_(review_ids),
            Nudge.recipient == user_id,
            Nudge.rule.like(SELF_ASSESSMENT_REMINDERS),
        )
    )
    session.execute(
        delete(TeamMember).where(
            TeamMember.review_id.in_(review_ids),
            TeamMember.user_id == user_id,
            TeamMember.role == Role.STAKEHOLDER.value,
        )
    )
    for event in session.scalars(
        select(AuditEvent).where(
            AuditEvent.review_id.in_(review_ids), AuditEvent.action == INVITED_AUDIT
        )
    ):
        users = event.details.get("users", [])
        if user_id in users or event.actor_id == user_id:
            event.details = {
                **event.details,
                "users": [FORGOTTEN if user == user_id else user for user in users],
            }
            if event.actor_id == user_id:
                event.actor_id = FORGOTTEN
    session.flush()


def reviews_due_for_purge(*, session: Session, closed_before: datetime) -> list[int]:
    """Reviews closed before the cutoff that still hold self-assessment personal data."""
    return list(
        session.scalars(
            select(Review.id)
            .where(
                Review.closed_at.is_not(None),
                Review.closed_at < closed_before,
                or_(
                    exists().where(ChecklistParticipant.review_id == Review.id),
                    exists().where(ChecklistInvitationMessage.review_id == Review.id),
                    exists().where(
                        ChecklistRound.review_id == Review.id,
                        ChecklistRound.issued_by != FORGOTTEN,
                    ),
                    exists().where(
                        Nudge.review_id == Review.id, Nudge.recipient != CHANNEL_RECIPIENT
                    ),
                    exists().where(
                        TeamMember.review_id == Review.id,
                        TeamMember.role == Role.STAKEHOLDER.value,
                    ),
                ),
            )
            .order_by(Review.id)
        )
    )


def purge_review(*, session: Session, review_id: int) -> None:
    """Remove a closed review's self-assessment personal data; anonymous answers stay."""
    keys = session.scalars(
        select(ChecklistResponse.respondent_key)
        .where(ChecklistResponse.review_id == review_id)
        .distinct()
    ).all()
    for key in keys:
        rekey(session=session, review_id=review_id, old_key=key, new_key=_random_key())
    session.execute(delete(ChecklistCompletion).where(ChecklistCompletion.review_id == review_id))
    for named in (ChecklistParticipant, ChecklistInvitationMessage):
        session.execute(delete(named).where(named.review_id == review_id))
    session.execute(
        update(ChecklistRound)
        .where(ChecklistRound.review_id == review_id)
        .values(issued_by=FORGOTTEN)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        delete(Nudge).where(Nudge.review_id == review_id, Nudge.recipient != CHANNEL_RECIPIENT)
    )
    session.execute(
        delete(TeamMember).where(
            TeamMember.review_id == review_id, TeamMember.role == Role.STAKEHOLDER.value
        )
    )
    session.execute(
        delete(AuditEvent).where(
            AuditEvent.review_id == review_id, AuditEvent.action.like("checklist.%")
        )
    )
