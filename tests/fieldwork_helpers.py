"""Shared setup for fieldwork, findings and report tests: the action tests' review (AFIs
'assets', 'complaints' (rank 2), 'budget' (rank 1), 'old' (withdrawn); team UHOST host lead,
UIS IS lead, UH2 host team, UPEER peer, USTAKE stakeholder) with fieldwork 3–5 March 2027."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update

from bot.deps import Deps
from bot.fieldwork.rules import SessionFields, SessionKind, SessionMode
from bot.findings.rules import FindingKind, FindingSource
from bot.self_assessment.checklist import Answer, load_default_checklist
from bot.self_assessment.rules import SectionAnswers
from storage.db import SessionFactory, transaction
from storage.models.reviews import Review
from storage.repositories.fieldwork import add_session as store_session
from storage.repositories.findings import NewFinding
from storage.repositories.findings import add_finding as store_finding
from storage.repositories.improvement_actions import ActionFields
from storage.repositories.improvement_actions import add_action as store_action
from storage.repositories.self_assessment import add_participants, ensure_round
from storage.repositories.self_assessment_answers import record_completion, save_section

from action_helpers import CHANNEL, Seeded, seed_review, wait_until
from afi_helpers import responses_to
from fake_slack import FakeSlack
from slack_driver import SlackDriver

CHECKLIST = load_default_checklist()
FIELDWORK_START = date(2027, 3, 3)
FIELDWORK_END = date(2027, 3, 5)


def seed_fieldwork_review(sessions: SessionFactory, **dates: date | None) -> Seeded:
    seeded = seed_review(sessions)
    values: dict[str, Any] = {"fieldwork_start": FIELDWORK_START, "fieldwork_end": FIELDWORK_END}
    values.update(dates)
    with transaction(sessions) as session:
        session.execute(update(Review).where(Review.id == seeded.review_id).values(**values))
    return seeded


def session_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "fw_kind": "focus_group",
        "fw_day": "2027-03-04",
        "fw_start": "600",
        "fw_length": "90",
        "fw_afis": [],
        "fw_runners": ["UPEER", "UIS"],
        "fw_participants": "Depot supervisors from the three areas",
        "fw_count": "6",
        "fw_mode": "in_person",
    }
    form.update(overrides)
    return form


def open_view_by_command(
    slack: SlackDriver, fake: FakeSlack, command: str, text: str, *, user: str = "UHOST"
) -> dict[str, Any]:
    before = len(fake.calls_to("views.open"))
    slack.command(command, text, user=user, channel=CHANNEL)
    call = fake.wait_for("views.open", count=before + 1)[-1]
    assert call.ok, call.response
    return dict(call.response["view"])


def dms_to(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [c.args for c in fake.calls_to("chat.postMessage") if c.ok and c.args["channel"] == user]


def wait_for_dm(fake: FakeSlack, user: str, count: int = 1) -> list[dict[str, Any]]:
    wait_until(lambda: len(dms_to(fake, user)) >= count, f"{count} DM(s) to {user}")
    return dms_to(fake, user)


def seed_self_assessment(
    deps: Deps, review_id: int, answers: list[Answer], *, comment: str = ""
) -> None:
    """One respondent per answer, each giving that answer to every statement, finished."""
    with transaction(deps.sessions) as session:
        review = session.get(Review, review_id)
        assert review is not None
        ensure_round(
            session=session,
            review=review,
            checklist=CHECKLIST,
            closes_on=date(2027, 2, 1),
            actor_id="UHOST",
            now=deps.now(),
        )
        users = [f"URESP{index}" for index in range(len(answers))]
        add_participants(
            session=session, review_id=review_id, user_ids=users, actor_id="UHOST", now=deps.now()
        )
        for user, answer in zip(users, answers, strict=True):
            for section in CHECKLIST.sections:
                save_section(
                    session=session,
                    review_id=review_id,
                    respondent_key=f"key-{user}",
                    saved=SectionAnswers(
                        section_number=section.number,
                        answers={statement.id: answer for statement in section.statements},
                        strengths=comment,
                        improvements="",
                    ),
                )
            record_completion(session=session, review_id=review_id, respondent_key=f"key-{user}")


def add_session(deps: Deps, review_id: int, afi_id: int, *, participants: str, count: int) -> int:
    with transaction(deps.sessions) as session:
        return store_session(
            session=session,
            review_id=review_id,
            fields=SessionFields(
                kind=SessionKind.FOCUS_GROUP,
                day=date(2027, 3, 4),
                start_minute=600,
                minutes=60,
                afi_ids=(afi_id,),
                runners=("UPEER",),
                participants=participants,
                participant_count=count,
                mode=SessionMode.IN_PERSON,
            ),
            actor_id="UHOST",
            now=deps.now(),
        ).id


def add_finding(
    deps: Deps, review_id: int, afi_id: int, kind: FindingKind, text: str, session_id: int | None
) -> None:
    with transaction(deps.sessions) as session:
        store_finding(
            session=session,
            review_id=review_id,
            new=NewFinding(
                afi_id=afi_id,
                kind=kind,
                source=FindingSource.SESSION if session_id else FindingSource.DATA,
                text=text,
                session_id=session_id,
            ),
            actor_id="UPEER",
            now=deps.now(),
        )


def add_action(deps: Deps, review_id: int, afi_id: int | None, text: str, due: date) -> None:
    with transaction(deps.sessions) as session:
        store_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(
                key_action=text,
                owner_id="UOWNER",
                due=due,
                afi_id=afi_id,
                risks="Two days of analyst time",
                measure="Dashboard used at committee",
            ),
            actor_id="UHOST",
            now=deps.now(),
        )


def answer_to(
    slack: SlackDriver, fake: FakeSlack, command: str, text: str, *, user: str, count: int = 1
) -> dict[str, Any]:
    """Run a slash command; return the `count`th answer posted to its response_url."""
    _, _, response_url = slack.command(command, text, user=user, channel=CHANNEL)
    return responses_to(fake, response_url, count)[count - 1]
