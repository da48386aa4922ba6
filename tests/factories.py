"""Seed data for tests, written straight to the database through the repositories.

Every test's reviews, AFIs, actions, fieldwork and checklist answers are made here, so a
test reads as "a review with these people and this data" rather than as repository calls.
Each factory takes the caller's session: the caller owns the transaction, as a service
does. Helpers that drive the bot through Slack live elsewhere (helpers.py and friends).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, date, datetime

from sqlalchemy import update
from sqlalchemy.orm import Session

from bot.core.checklist import Answer, Checklist
from bot.core.fieldwork import FieldworkKind, FieldworkMode, FieldworkSessionFields
from bot.core.findings import FindingKind, FindingSource
from bot.core.responses import SectionAnswers, respondent_key
from bot.core.roles import Role
from bot.core.timeline import Timeline
from storage.models.afis import Afi, AfiStatus
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.repositories.afis import NewAfi, add_afi
from storage.repositories.fieldwork import add_fieldwork_session
from storage.repositories.findings import NewFinding, add_finding
from storage.repositories.improvement_actions import ActionFields, add_action
from storage.repositories.reviews import NewReview, create_review
from storage.repositories.self_assessment import add_participants, close_early, ensure_round
from storage.repositories.self_assessment_answers import record_completion, save_section

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
CHANNEL = "CREVIEW"
Members = tuple[tuple[str, Role], ...]


def make_review(
    session: Session,
    *,
    members: Members,
    channel: str = CHANNEL,
    team_id: str = "T0001",
    host_council: str = "Fife",
    focus: str = "Roads maintenance",
    peer_councils: tuple[str, ...] = ("Angus",),
    timeline: Timeline | None = None,
    now: datetime = NOW,
) -> Review:
    """A review in `channel` with `members`, opened by its first member."""
    return create_review(
        session=session,
        new=NewReview(
            team_id=team_id,
            channel_id=channel,
            host_council=host_council,
            focus=focus,
            rationale="",
            peer_councils=peer_councils,
            peer_rationale="",
            timeline=timeline or Timeline(),
            members=members,
        ),
        actor_id=members[0][0],
        now=now,
    )


def add_afis(
    session: Session, *, review_id: int, texts: Iterable[str], author_id: str, now: datetime = NOW
) -> list[Afi]:
    """AFIs with these texts, numbered in order."""
    return [
        add_afi(
            session=session,
            review_id=review_id,
            new=NewAfi(text=text, author_id=author_id),
            now=now,
        )
        for text in texts
    ]


def mark_afi_prioritised(session: Session, *, afi_id: int, rank: int) -> None:
    """Mark an AFI prioritised at `rank`, as a closed vote would."""
    session.execute(update(Afi).where(Afi.id == afi_id).values(prioritised=True, rank=rank))


def mark_afi_withdrawn(session: Session, *, afi_id: int) -> None:
    session.execute(update(Afi).where(Afi.id == afi_id).values(status=AfiStatus.WITHDRAWN.value))


def add_improvement_action(
    session: Session,
    *,
    review_id: int,
    key_action: str,
    owner_id: str,
    due: date,
    afi_id: int | None = None,
    risks: str = "",
    measure: str = "",
    actor_id: str = "UHOST",
    now: datetime = NOW,
) -> Action:
    return add_action(
        session=session,
        review_id=review_id,
        fields=ActionFields(
            key_action=key_action,
            owner_id=owner_id,
            due=due,
            afi_id=afi_id,
            risks=risks,
            measure=measure,
        ),
        actor_id=actor_id,
        now=now,
    )


def add_focus_group(
    session: Session,
    *,
    review_id: int,
    afi_id: int,
    participants: str,
    count: int,
    now: datetime = NOW,
) -> int:
    """An in-person focus group on 4 March 2027 at 10:00, run by UPEER; its id."""
    return add_fieldwork_session(
        session=session,
        review_id=review_id,
        fields=FieldworkSessionFields(
            kind=FieldworkKind.FOCUS_GROUP,
            day=date(2027, 3, 4),
            start_minute=600,
            minutes=60,
            afi_ids=(afi_id,),
            runners=("UPEER",),
            participants=participants,
            participant_count=count,
            mode=FieldworkMode.IN_PERSON,
        ),
        actor_id="UHOST",
        now=now,
    ).id


def add_peer_finding(
    session: Session,
    *,
    review_id: int,
    afi_id: int,
    kind: FindingKind,
    text: str,
    fieldwork_session_id: int | None,
    now: datetime = NOW,
) -> None:
    """A finding by UPEER: from `fieldwork_session_id` if given, otherwise from data."""
    add_finding(
        session=session,
        review_id=review_id,
        new=NewFinding(
            afi_id=afi_id,
            kind=kind,
            source=FindingSource.SESSION if fieldwork_session_id else FindingSource.DATA,
            text=text,
            fieldwork_session_id=fieldwork_session_id,
        ),
        actor_id="UPEER",
        now=now,
    )


def add_checklist_answers(
    session: Session,
    *,
    review: Review,
    checklist: Checklist,
    answers: Sequence[Answer],
    secret: bytes,
    comment: str = "",
    only: Mapping[str, Sequence[Answer | None]] | None = None,
    now: datetime = NOW,
) -> None:
    """Open the self-assessment, finish it with one invited respondent per answer, each
    giving that answer to every statement (and `comment` as every section's strengths),
    under the key the bot computes from `secret`, and close it as a lead would (it never
    closes by itself). `only` gives some statements other answers: respondent by
    respondent, None for a statement skipped."""
    round_ = ensure_round(
        session=session,
        review=review,
        checklist=checklist,
        closes_on=date(2027, 2, 1),
        actor_id="UHOST",
        now=now,
    )
    users = [f"URESP{index}" for index in range(len(answers))]
    add_participants(
        session=session, review_id=review.id, user_ids=users, actor_id="UHOST", now=now
    )
    for index, (user, answer) in enumerate(zip(users, answers, strict=True)):
        key = respondent_key(secret, round_.key_salt, user)
        for section in checklist.sections:
            given: dict[str, Answer | None] = {s.id: answer for s in section.statements}
            for statement_id, theirs in (only or {}).items():
                if statement_id in given:
                    given[statement_id] = theirs[index]
            save_section(
                session=session,
                review_id=review.id,
                respondent_key=key,
                saved=SectionAnswers(
                    section_number=section.number,
                    answers={sid: a for sid, a in given.items() if a is not None},
                    strengths=comment,
                    improvements="",
                ),
            )
        record_completion(session=session, review_id=review.id, respondent_key=key)
    close_early(session=session, round_=round_, now=now)
