"""The self-assessment: rounds, participants and pseudonymous answers.

Functions that read answers take a respondent key, never a Slack user id; only the
participant functions know who people are.
"""

from __future__ import annotations

import secrets
from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from typing import TypedDict

from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from bot.self_assessment.checklist import Answer, Checklist, Comment, CommentKind, RespondentAnswers
from bot.self_assessment.rules import SectionAnswers
from storage.models.reviews import Review
from storage.models.self_assessment import ChecklistParticipant, ChecklistResponse, ChecklistRound


def get_round(*, session: Session, review_id: int) -> ChecklistRound | None:
    return session.scalars(
        select(ChecklistRound).where(ChecklistRound.review_id == review_id)
    ).first()


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
    existing = get_round(session=session, review_id=review.id)
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
    try:
        with session.begin_nested():
            session.add(issued)
            session.flush()
    except IntegrityError:  # issued by someone else at the same moment
        found = get_round(session=session, review_id=review.id)
        assert found is not None
        return found
    return issued


def set_closing_date(*, session: Session, round_: ChecklistRound, closes_on: date) -> None:
    round_.closes_on = closes_on
    session.flush()


# -- who: participants -------------------------------------------------------------------


def participants(*, session: Session, review_id: int) -> list[ChecklistParticipant]:
    return list(
        session.scalars(
            select(ChecklistParticipant)
            .where(ChecklistParticipant.review_id == review_id)
            .order_by(ChecklistParticipant.id)
        )
    )


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
    existing = {p.user_id for p in participants(session=session, review_id=review_id)}
    added = [user_id for user_id in dict.fromkeys(user_ids) if user_id not in existing]
    for user_id in added:
        try:
            with session.begin_nested():
                session.add(
                    ChecklistParticipant(
                        review_id=review_id, user_id=user_id, invited_by=actor_id, invited_at=now
                    )
                )
                session.flush()
        except IntegrityError:  # invited by someone else at the same moment
            continue
    return added


def mark_finished(*, session: Session, review_id: int, user_id: str, now: datetime) -> None:
    session.execute(
        update(ChecklistParticipant)
        .where(
            ChecklistParticipant.review_id == review_id,
            ChecklistParticipant.user_id == user_id,
            ChecklistParticipant.finished_at.is_(None),
        )
        .values(finished_at=now)
        .execution_options(synchronize_session=False)
    )


class SelfAssessmentFacts(TypedDict):
    stakeholders_invited: int | None
    stakeholders_finished: int | None
    self_assessment_closes: date | None


def self_assessment_facts(*, session: Session, review_id: int) -> SelfAssessmentFacts:
    """Invited and finished counts and the closing date, for the stage gap checks."""
    round_ = get_round(session=session, review_id=review_id)
    invited, finished = session.execute(
        select(
            func.count(ChecklistParticipant.id), func.count(ChecklistParticipant.finished_at)
        ).where(ChecklistParticipant.review_id == review_id)
    ).one()
    return SelfAssessmentFacts(
        stakeholders_invited=int(invited),
        stakeholders_finished=int(finished) if round_ else None,
        self_assessment_closes=round_.closes_on if round_ else None,
    )


# -- what: pseudonymous answers ------------------------------------------------------------


def save_section(
    *, session: Session, review_id: int, respondent_key: str, saved: SectionAnswers
) -> None:
    """Store a respondent's answers to a section, replacing any earlier ones.

    A double click or a retry saves the same section twice; the primary key keeps one
    row, and the loser of a race updates the winner's row instead.
    """
    values = {
        "answers": {sid: answer.value for sid, answer in saved.answers.items()},
        "strengths": saved.strengths,
        "improvements": saved.improvements,
    }
    where = (
        ChecklistResponse.review_id == review_id,
        ChecklistResponse.respondent_key == respondent_key,
        ChecklistResponse.section_number == saved.section_number,
    )
    updated = session.execute(
        update(ChecklistResponse)
        .where(*where)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    if updated.rowcount:  # type: ignore[attr-defined]
        return
    try:
        with session.begin_nested():
            session.add(
                ChecklistResponse(
                    review_id=review_id,
                    respondent_key=respondent_key,
                    section_number=saved.section_number,
                    **values,
                )
            )
            session.flush()
    except IntegrityError:
        session.execute(
            update(ChecklistResponse)
            .where(*where)
            .values(**values)
            .execution_options(synchronize_session=False)
        )


def _section_answers(row: ChecklistResponse) -> SectionAnswers:
    return SectionAnswers(
        section_number=row.section_number,
        answers={sid: Answer(value) for sid, value in row.answers.items()},
        strengths=row.strengths,
        improvements=row.improvements,
    )


def own_sections(
    *, session: Session, review_id: int, respondent_key: str
) -> dict[int, SectionAnswers]:
    """One respondent's saved sections, by section number."""
    rows = session.scalars(
        select(ChecklistResponse).where(
            ChecklistResponse.review_id == review_id,
            ChecklistResponse.respondent_key == respondent_key,
        )
    )
    return {row.section_number: _section_answers(row) for row in rows}


@dataclass(frozen=True)
class AllResponses:
    """Everything answered in a review, anonymised: respondents in key order, comments apart."""

    respondents: list[RespondentAnswers]
    comments: list[Comment]


def all_responses(*, session: Session, review_id: int) -> AllResponses:
    """Every answer and comment in one query, whatever the number of respondents."""
    rows = session.execute(
        select(
            ChecklistResponse.respondent_key,
            ChecklistResponse.section_number,
            ChecklistResponse.answers,
            ChecklistResponse.strengths,
            ChecklistResponse.improvements,
        )
        .where(ChecklistResponse.review_id == review_id)
        .order_by(ChecklistResponse.respondent_key, ChecklistResponse.section_number)
    ).all()
    answers: dict[str, dict[str, Answer]] = defaultdict(dict)
    comments: list[Comment] = []
    for key, section_number, section_answers, strengths, improvements in rows:
        answers[key].update({sid: Answer(value) for sid, value in section_answers.items()})
        for kind, text in (
            (CommentKind.STRENGTHS, strengths),
            (CommentKind.IMPROVEMENTS, improvements),
        ):
            if text.strip():
                comments.append(Comment(section_number, kind, text.strip()))
    return AllResponses(
        respondents=[RespondentAnswers(given) for given in answers.values()], comments=comments
    )


def reviews_answering(*, session: Session, team_id: str, user_id: str) -> list[Review]:
    """Open reviews in the workspace whose self-assessment the user is invited to, newest first."""
    return list(
        session.scalars(
            select(Review)
            .where(
                Review.team_id == team_id,
                Review.closed_at.is_(None),
                Review.id.in_(
                    select(ChecklistParticipant.review_id).where(
                        ChecklistParticipant.user_id == user_id
                    )
                ),
            )
            .order_by(Review.id.desc())
        )
    )
