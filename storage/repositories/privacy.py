"""The self-assessment's privacy: sealing and re-keying pseudonymous answers, unlinking one
person's answers (`/psif forget-me`; the rest of forgetting them is
storage.repositories.forgetting) and purging old reviews.

The purge reaches into other features' tables (team members, nudges, the audit trail,
votes, the outbox) only to remove what identifies someone in connection with the
self-assessment; everything else a review records stays as it is.
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import ColumnElement, Table, and_, delete, exists, or_, select, update
from sqlalchemy.orm import Session

from bot.core.people import FORGOTTEN
from bot.core.roles import Role
from storage.models.reminders import CHANNEL_RECIPIENT, Nudge, Snooze
from storage.models.reviews import AuditEvent, Review, TeamMember
from storage.models.self_assessment import (
    ChecklistCompletion,
    ChecklistInvitationMessage,
    ChecklistParticipant,
    ChecklistResponse,
    ChecklistRound,
)
from storage.repositories.forgetting import Person, forget_in_review
from storage.repositories.team import TEAM_ROLE_VALUES

SELF_ASSESSMENT_AUDIT = "checklist.%"
STAKEHOLDERS_ADDED_AUDIT = "team.added"
# Keys looked up per query when unlinking one person's answers (one key per review).
KEYS_PER_QUERY = 500


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


def round_salts(*, session: Session) -> list[tuple[int, str]]:
    """(review id, key salt) of every self-assessment round."""
    return [
        (review_id, salt)
        for review_id, salt in session.execute(
            select(ChecklistRound.review_id, ChecklistRound.key_salt).order_by(
                ChecklistRound.review_id
            )
        )
    ]


def unlink_answers(*, session: Session, keys: Sequence[str]) -> None:
    """Move answers saved under any of `keys` (one person's, one per review) to random keys
    nobody can compute, not even with the respondent secret; their finished marks go."""
    for start in range(0, len(keys), KEYS_PER_QUERY):
        chunk = keys[start : start + KEYS_PER_QUERY]
        session.execute(
            delete(ChecklistCompletion).where(ChecklistCompletion.respondent_key.in_(chunk))
        )
        found = session.execute(
            select(ChecklistResponse.review_id, ChecklistResponse.respondent_key)
            .where(ChecklistResponse.respondent_key.in_(chunk))
            .distinct()
        ).all()
        for review_id, key in found:
            rekey(session=session, review_id=review_id, old_key=key, new_key=_random_key())


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
                    exists().where(AuditEvent.review_id == Review.id, _self_assessment_audit()),
                ),
            )
            .order_by(Review.id)
        )
    )


def _self_assessment_audit() -> ColumnElement[bool]:
    """Audit entries about the self-assessment: its own, and stakeholders being added."""
    return or_(
        AuditEvent.action.like(SELF_ASSESSMENT_AUDIT),
        and_(
            AuditEvent.action == STAKEHOLDERS_ADDED_AUDIT,
            AuditEvent.details["role"].as_string() == Role.STAKEHOLDER.value,
        ),
    )


def purge_review(*, session: Session, review_id: int) -> None:
    """Remove a closed review's self-assessment personal data; anonymous answers stay.

    The people it knew only through the self-assessment (invited, or stakeholders, and not
    on the review team) are also rewritten in the review's audit trail and votes, and in
    the messages already delivered to or about them.
    """
    review = session.get(Review, review_id)
    team = {m.user_id for m in review.members if m.role in TEAM_ROLE_VALUES} if review else set()
    outsiders = {
        *session.scalars(
            select(ChecklistParticipant.user_id).where(ChecklistParticipant.review_id == review_id)
        ),
        *session.scalars(
            select(TeamMember.user_id).where(
                TeamMember.review_id == review_id, TeamMember.role == Role.STAKEHOLDER.value
            )
        ),
    } - team
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
        delete(AuditEvent).where(AuditEvent.review_id == review_id, _self_assessment_audit())
    )
    forget_in_review(
        session=session, review_id=review_id, people=[Person(user) for user in sorted(outsiders)]
    )


def forget_ended_snoozes(*, session: Session, today: date) -> int:
    """Remove snoozes that ended before `today` (they pause nothing any more)."""
    result = session.execute(delete(Snooze).where(Snooze.paused_through < today))
    return int(getattr(result, "rowcount", 0) or 0)
