"""The self-assessment's rounds and who takes part: participants, where their invitation
DMs are, and counts. What people answered is storage.repositories.self_assessment_answers,
by respondent key only; nothing an answer writes touches what is here.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from datetime import date, datetime
from typing import Any, TypedDict

from sqlalchemy import BindParameter, bindparam, func, select
from sqlalchemy.orm import Session

from bot.core.checklist import Checklist
from bot.core.responses import Completion
from storage.models.reviews import Review
from storage.models.self_assessment import (
    ChecklistCompletion,
    ChecklistInvitationMessage,
    ChecklistParticipant,
    ChecklistRound,
)
from storage.models.survey import SurveyLink
from storage.repositories._sql import added, all_of

# The statements a request runs most, built once: building one costs more than running it.
_REVIEW: BindParameter[int] = bindparam("review_id")
_ROUND = select(ChecklistRound).where(ChecklistRound.review_id == _REVIEW)
_INVITED = (
    select(ChecklistParticipant.user_id)
    .where(ChecklistParticipant.review_id == _REVIEW)
    .order_by(ChecklistParticipant.id)
)
_FIRST_INVITED = _INVITED.limit(bindparam("first"))
_ROUND_AND_INVITATION = select(
    ChecklistRound,
    select(ChecklistParticipant.id)
    .where(
        ChecklistParticipant.review_id == _REVIEW,
        ChecklistParticipant.user_id == bindparam("user_id"),
    )
    .exists(),
).where(ChecklistRound.review_id == _REVIEW)


def _count(model: Any, *where: Any) -> Any:
    query = select(func.count()).select_from(model).where(model.review_id == _REVIEW, *where)
    return query.scalar_subquery()


_COMPLETION = select(
    _count(ChecklistParticipant),
    _count(SurveyLink, SurveyLink.withdrawn.is_(False)),
    _count(ChecklistCompletion),
)


def get_checklist_round(*, session: Session, review_id: int) -> ChecklistRound | None:
    """The review's round, read once a session: the session keeps the one it read up to
    date, and a request often asks several times (counts, results, the report's note)."""
    known: dict[int, ChecklistRound] = session.info.setdefault("checklist_rounds", {})
    if review_id not in known:
        found = session.scalars(_ROUND, {"review_id": review_id}).first()
        if found is None:
            return None
        known[review_id] = found
    return known[review_id]


def round_and_invitation(
    *, session: Session, review_id: int, user_id: str
) -> tuple[ChecklistRound | None, bool]:
    """The review's round, and whether the user is invited to it, in one query."""
    values = {"review_id": review_id, "user_id": user_id}
    found = session.execute(_ROUND_AND_INVITATION, values).first()
    return (None, False) if found is None else (found[0], bool(found[1]))


def ensure_round(
    *,
    session: Session,
    review: Review,
    checklist: Checklist,
    closes_on: date,
    actor_id: str,
    now: datetime,
) -> ChecklistRound:
    """The review's round, issuing it (closing on `closes_on`) if this is the first time."""
    existing = get_checklist_round(session=session, review_id=review.id)
    if existing is not None:
        return existing
    issued = ChecklistRound(
        review_id=review.id,
        checklist_id=checklist.id,
        checklist_version=checklist.version,
        key_salt=secrets.token_hex(16),
        closes_on=closes_on,
        issued_by=actor_id,
        issued_at=now,
    )
    if added(session, issued):
        return issued
    found = get_checklist_round(session=session, review_id=review.id)  # issued at the same moment
    assert found is not None
    return found


def set_closing_date(*, session: Session, round_: ChecklistRound, closes_on: date) -> None:
    """Move the closing date; this also reopens a round a lead had closed early."""
    round_.closes_on, round_.closed_at, round_.sealed_at = closes_on, None, None
    session.flush()


def close_early(*, session: Session, round_: ChecklistRound, now: datetime) -> None:
    round_.closed_at = now
    session.flush()


def release_results(*, session: Session, round_: ChecklistRound, now: datetime) -> bool:
    """Record that results are being shown; True the first time."""
    if round_.results_released_at is not None:
        return False
    round_.results_released_at = now
    session.flush()
    return True


def mark_results_posting(*, session: Session, round_: ChecklistRound, now: datetime) -> None:
    """Record that the results are being posted (again): where lands once delivered."""
    round_.results_posted_at, round_.results_channel_id, round_.results_ts = now, None, None
    session.flush()


def remember_results_post(*, session: Session, review_id: int, channel_id: str, ts: str) -> None:
    """Where the review's results message landed, for later `/psif results` to point to."""
    round_ = get_checklist_round(session=session, review_id=review_id)
    if round_ is not None:
        round_.results_channel_id, round_.results_ts = channel_id, ts
        session.flush()


def rounds_closing_between(
    *, session: Session, review_ids: list[int], after: date, until: date
) -> list[ChecklistRound]:
    """Rounds of these reviews closing after `after` and by `until` that a lead has not
    closed and whose results are not out: the ones reminders may still be owed for."""
    return all_of(
        session,
        select(ChecklistRound).where(
            ChecklistRound.review_id.in_(review_ids),
            ChecklistRound.closes_on > after,
            ChecklistRound.closes_on <= until,
            ChecklistRound.closed_at.is_(None),
            ChecklistRound.results_released_at.is_(None),
        ),
    )


def invitees(*, session: Session, review_ids: list[int]) -> dict[int, list[tuple[str, datetime]]]:
    """(user id, invited at) of everyone invited to these reviews, in one query."""
    found: dict[int, list[tuple[str, datetime]]] = defaultdict(list)
    for review_id, user_id, invited_at in session.execute(
        select(
            ChecklistParticipant.review_id,
            ChecklistParticipant.user_id,
            ChecklistParticipant.invited_at,
        )
        .where(ChecklistParticipant.review_id.in_(review_ids))
        .order_by(ChecklistParticipant.id)
    ):
        found[review_id].append((user_id, invited_at))
    return found


def invited_users(*, session: Session, review_id: int, first: int | None = None) -> list[str]:
    """Everyone invited to the review (or the `first` few), in invitation order."""
    if first is None:
        return list(session.scalars(_INVITED, {"review_id": review_id}))
    return list(session.scalars(_FIRST_INVITED, {"review_id": review_id, "first": first}))


def get_participant(
    *, session: Session, review_id: int, user_id: str
) -> ChecklistParticipant | None:
    return session.scalars(
        select(ChecklistParticipant).where(
            ChecklistParticipant.review_id == review_id, ChecklistParticipant.user_id == user_id
        )
    ).first()


def add_participants(
    *, session: Session, review_id: int, user_ids: list[str], actor_id: str, now: datetime
) -> list[str]:
    """Invite users; return those newly invited (already-invited people are skipped)."""
    existing = set(invited_users(session=session, review_id=review_id))
    new = [user_id for user_id in dict.fromkeys(user_ids) if user_id not in existing]
    for user_id in new:  # someone else may invite them at the same moment: no matter
        added(
            session,
            ChecklistParticipant(
                review_id=review_id, user_id=user_id, invited_by=actor_id, invited_at=now
            ),
        )
    return new


def completion(*, session: Session, review_id: int) -> Completion:
    """How many are invited (in Slack, or by a survey link or imported row not withdrawn)
    and how many have finished: counts in one statement, no names."""
    counts = session.execute(_COMPLETION, {"review_id": review_id}).one()
    return Completion(
        invited=int(counts[0] or 0) + int(counts[1] or 0), finished=int(counts[2] or 0)
    )


class SelfAssessmentFacts(TypedDict):
    stakeholders_invited: int | None
    stakeholders_finished: int | None
    self_assessment_closes: date | None
    self_assessment_closed: bool


def self_assessment_facts(*, session: Session, review_id: int) -> SelfAssessmentFacts:
    """Invited and finished counts and the closing date, for the stage gap checks."""
    round_ = get_checklist_round(session=session, review_id=review_id)
    counts = completion(session=session, review_id=review_id)
    return SelfAssessmentFacts(
        stakeholders_invited=counts.invited,
        stakeholders_finished=counts.finished if round_ else None,
        self_assessment_closes=round_.closes_on if round_ else None,
        self_assessment_closed=bool(round_ and round_.closed_at is not None),
    )


def reviews_answering(*, session: Session, user_id: str) -> list[Review]:
    """Open reviews whose self-assessment the user is invited to, newest first, whichever
    workspace opened them (Slack Connect)."""
    invited = select(ChecklistParticipant.review_id).where(ChecklistParticipant.user_id == user_id)
    query = select(Review).where(Review.closed_at.is_(None), Review.id.in_(invited))
    return all_of(session, query.order_by(Review.id.desc()))


def round_salts(*, session: Session) -> list[tuple[int, str]]:
    """(review id, key salt) of every self-assessment round."""
    query = select(ChecklistRound.review_id, ChecklistRound.key_salt)
    return [(review_id, salt) for review_id, salt in session.execute(query)]


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


def remember_invitation_message(
    *, session: Session, review_id: int, user_id: str, channel_id: str, ts: str
) -> None:
    """Record (or move) the user's invitation DM for this review: written when it is
    delivered, never when anyone answers or finishes (see ChecklistInvitationMessage)."""
    session.merge(
        ChecklistInvitationMessage(
            review_id=review_id, user_id=user_id, channel_id=channel_id, ts=ts
        )
    )
    session.flush()


def invitation_message(*, session: Session, review_id: int, user_id: str) -> tuple[str, str] | None:
    """(channel id, ts) of the user's invitation DM for this review, if it was delivered."""
    found = session.get(ChecklistInvitationMessage, {"review_id": review_id, "user_id": user_id})
    return None if found is None else (found.channel_id, found.ts)


def invitation_messages(*, session: Session, review_id: int) -> list[tuple[str, str, str, str]]:
    """(user id, invited by, channel id, ts) of each delivered invitation DM for this
    review, to change them all when it closes sooner or its date moves."""
    rows = session.execute(
        select(
            ChecklistInvitationMessage.user_id,
            ChecklistParticipant.invited_by,
            ChecklistInvitationMessage.channel_id,
            ChecklistInvitationMessage.ts,
        )
        .join(
            ChecklistParticipant,
            (ChecklistParticipant.review_id == ChecklistInvitationMessage.review_id)
            & (ChecklistParticipant.user_id == ChecklistInvitationMessage.user_id),
        )
        .where(ChecklistInvitationMessage.review_id == review_id)
        .order_by(ChecklistParticipant.id)
    )
    return [(user_id, invited_by, channel, ts) for user_id, invited_by, channel, ts in rows]
