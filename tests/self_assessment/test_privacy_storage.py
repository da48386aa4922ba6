"""Moving today's data, forgetting people, purging old reviews and re-keying (issue 17)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Engine, create_engine, inspect, select, text, update

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.core.people import FORGOTTEN
from bot.core.responses import SectionAnswers, respondent_key
from bot.core.roles import Role
from bot.deps import Deps
from bot.privacy.service import purge_expired
from bot.review_access import get_review
from bot.self_assessment.service import move_keys_off_signing_secret
from bot.slack import ids
from scheduler.runner import retention_pass
from storage.db import transaction
from storage.migrate import alembic_config, upgrade_to_head
from storage.models.reminders import Nudge
from storage.models.reviews import AuditEvent, Review, TeamMember
from storage.models.self_assessment import (
    ChecklistCompletion,
    ChecklistInvitationMessage,
    ChecklistParticipant,
    ChecklistResponse,
    ChecklistRound,
)
from storage.repositories.self_assessment import (
    add_participants,
    ensure_round,
    remember_invitation_message,
)
from storage.repositories.self_assessment_answers import save_section

from checklist_helpers import (
    CHANNEL,
    answer_everything,
    invite,
    seed_checklist_review,
    start_from_dm,
    submit_section,
)
from conftest import POSTGRES_ENV, SIGNING_SECRET, RunningBot, _create_postgres_database
from fake_slack import FakeSlack
from helpers import wait_until_delivered
from slack_driver import SlackDriver

CHECKLIST = load_default_checklist()
NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


def _backends() -> list[str]:
    return ["sqlite", "postgresql"] if os.environ.get(POSTGRES_ENV) else ["sqlite"]


@pytest.fixture(params=_backends())
def blank_database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[str, Engine]]:
    """An empty database of its own, to migrate step by step."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'steps.db'}"
        engine = create_engine(url)
        yield url, engine
        engine.dispose()
        return
    admin_url = os.environ[POSTGRES_ENV]
    name, engine = _create_postgres_database(admin_url)
    yield engine.url.render_as_string(hide_password=False), engine
    engine.dispose()
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def test_the_migration_moves_finished_off_the_identity_table(
    blank_database: tuple[str, Engine],
) -> None:
    url, engine = blank_database
    command.upgrade(alembic_config(url), "0006_afi_voting")
    answers = '{"1.01": "agree"}'
    with engine.begin() as connection:
        connection.execute(
            text(
                "INSERT INTO reviews (id, team_id, channel_id, host_council, focus, rationale, "
                "peer_rationale, checklist_id, stage, created_by, created_at) VALUES (1, 'T', "
                "'C', 'Fife', 'Roads', '', '', 'psif-default', 'pre_work', 'UHOST', :now)"
            ),
            {"now": NOW},
        )
        connection.execute(
            text(
                "INSERT INTO checklist_rounds (review_id, checklist_id, checklist_version, "
                "key_salt, closes_on, issued_by, issued_at) VALUES (1, 'psif-default', '1', "
                "'salt', :closes, 'UHOST', :now)"
            ),
            {"closes": date(2026, 12, 9), "now": NOW},
        )
        for user, finished in (("UA", NOW), ("UB", None)):
            connection.execute(
                text(
                    "INSERT INTO checklist_participants (review_id, user_id, invited_by, "
                    "invited_at, finished_at) VALUES (1, :user, 'UHOST', :now, :finished)"
                ),
                {"user": user, "now": NOW, "finished": finished},
            )
        for key, sections in (("kb-unfinished", 2), ("ka-finished", 6)):
            for number in range(1, sections + 1):
                connection.execute(
                    text(
                        "INSERT INTO checklist_responses (review_id, respondent_key, "
                        "section_number, answers, strengths, improvements) VALUES (1, :key, "
                        ":number, :answers, '', '')"
                    ),
                    {"key": key, "number": number, "answers": answers},
                )
    upgrade_to_head(url)
    columns = {column["name"] for column in inspect(engine).get_columns("checklist_participants")}
    assert "finished_at" not in columns
    with engine.connect() as connection:
        completions = connection.execute(
            text("SELECT review_id, respondent_key FROM checklist_completions")
        ).all()
        kept = connection.execute(text("SELECT count(*) FROM checklist_responses")).scalar_one()
        stored = connection.execute(
            text("SELECT respondent_key FROM checklist_responses")
        ).scalars()
        order = list(dict.fromkeys(stored))
    assert completions == [(1, "ka-finished")]
    assert kept == 8
    assert order == ["ka-finished", "kb-unfinished"]  # key order, not the order written
    command.downgrade(alembic_config(url), "0006_afi_voting")
    upgrade_to_head(url)


def test_forget_me_removes_the_person_and_leaves_their_answers_unlinkable(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    review_id = seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    wait_until_delivered(bot.deps)
    answer_everything(slack, fake_slack, "UA", lambda _: Answer.AGREE)
    with transaction(bot.deps.sessions) as session:
        session.add(
            Nudge(
                review_id=review_id,
                rule="self_assessment.reminder.three_days",
                day=date(2026, 12, 4),
                recipient="UA",
                zone="Europe/London",
                useful_until=date(2026, 12, 7),
                payload={},
                status="sent",
                not_before=NOW,
                created_at=NOW,
            )
        )
        salt = session.scalars(select(ChecklistRound.key_salt)).one()
    before = len(fake_slack.responses)
    slack.command("/psif", "forget-me", user="UA", channel="DUA", channel_name="directmessage")
    confirmation = fake_slack.wait_for_responses(before + 1)[-1].body
    assert "anonymous" in str(confirmation["blocks"])
    with transaction(bot.deps.sessions) as session:  # nothing happens before confirming
        assert "UA" in session.scalars(select(ChecklistParticipant.user_id)).all()
    slack.click_in_message(
        confirmation,
        ids.FORGET_ME_CONFIRM,
        user="UA",
        channel="DUA",
        response_url=fake_slack.new_response_url(),
    )
    assert "Done" in fake_slack.wait_for_responses(before + 2)[-1].body["text"]
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ChecklistParticipant.user_id)).all() == ["UB"]
        # Where UA's invitation DM is goes too; UB's stays.
        assert session.scalars(select(ChecklistInvitationMessage.user_id)).all() == ["UB"]
        keys = set(session.scalars(select(ChecklistResponse.respondent_key)))
        assert len(keys) == 1  # UA's six sections stay, as anonymous data
        assert respondent_key(bot.deps.respondent_secret, salt, "UA") not in keys
        assert session.scalars(select(ChecklistCompletion)).all() == []
        assert session.scalars(select(Nudge).where(Nudge.recipient == "UA")).all() == []
        stakeholders = session.scalars(
            select(TeamMember.user_id).where(TeamMember.role == Role.STAKEHOLDER.value)
        ).all()
        assert stakeholders == ["UB"]
        invited = [
            event.details["users"]
            for event in session.scalars(
                select(AuditEvent).where(AuditEvent.action == "checklist.invited")
            )
        ]
        assert "UA" not in str(invited)
    # UA is not invited any more; UB still is.
    before = len(fake_slack.responses)
    slack.command("/psif", "checklist", user="UA", channel="DUA", channel_name="directmessage")
    assert "haven't been invited" in fake_slack.wait_for_responses(before + 1)[-1].body["text"]


def test_forget_me_can_be_cancelled(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    before = len(fake_slack.responses)
    slack.command("/psif", "forget-me", user="UA")
    confirmation = fake_slack.wait_for_responses(before + 1)[-1].body
    slack.click_in_message(
        confirmation,
        ids.FORGET_ME_CANCEL,
        user="UA",
        channel=CHANNEL,
        response_url=fake_slack.new_response_url(),
    )
    assert "nothing was removed" in fake_slack.wait_for_responses(before + 2)[-1].body["text"]
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(ChecklistParticipant.user_id)).all() == ["UA"]


def _closed_review_with_answers(deps: Deps, channel: str, closed_at: datetime) -> int:
    review_id = seed_checklist_review(deps, channel=channel)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        round_ = ensure_round(
            session=session,
            review=review,
            checklist=CHECKLIST,
            closes_on=date(2026, 12, 9),
            actor_id="UHOST",
            now=NOW,
        )
        add_participants(
            session=session, review_id=review_id, user_ids=["UA"], actor_id="UHOST", now=NOW
        )
        remember_invitation_message(
            session=session, review_id=review_id, user_id="UA", channel_id="DUA", ts="1.000100"
        )
        save_section(
            session=session,
            review_id=review_id,
            respondent_key=respondent_key(deps.respondent_secret, round_.key_salt, "UA"),
            saved=SectionAnswers(1, {"1.01": Answer.AGREE}),
        )
        session.execute(update(Review).where(Review.id == review_id).values(closed_at=closed_at))
    return review_id


def test_retention_purges_personal_data_of_reviews_closed_long_enough_ago(deps: Deps) -> None:
    assert deps.settings.retention_days == 365
    old = _closed_review_with_answers(deps, "COLD", deps.now() - timedelta(days=366))
    recent = _closed_review_with_answers(deps, "CRECENT", deps.now() - timedelta(days=10))
    assert retention_pass(deps) == 1
    with transaction(deps.sessions) as session:
        by_review = {
            review_id: (salt, issued_by)
            for review_id, salt, issued_by in session.execute(
                select(ChecklistRound.review_id, ChecklistRound.key_salt, ChecklistRound.issued_by)
            )
        }
        people = session.scalars(select(ChecklistParticipant.review_id)).all()
        assert people == [recent]
        dms = session.scalars(select(ChecklistInvitationMessage.review_id)).all()
        assert dms == [recent]
        assert by_review[old][1] == FORGOTTEN and by_review[recent][1] == "UHOST"
        old_keys = session.scalars(
            select(ChecklistResponse.respondent_key).where(ChecklistResponse.review_id == old)
        ).all()
        assert len(old_keys) == 1  # the anonymous answer stays
        assert old_keys[0] != respondent_key(deps.respondent_secret, by_review[old][0], "UA")
    assert purge_expired(deps, now=deps.now()) == 0  # nothing left to do


def test_answers_under_keys_from_the_signing_secret_move_to_the_respondent_secret(
    deps: Deps,
) -> None:
    review_id = seed_checklist_review(deps)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        round_ = ensure_round(
            session=session,
            review=review,
            checklist=CHECKLIST,
            closes_on=date(2026, 12, 9),
            actor_id="UHOST",
            now=NOW,
        )
        add_participants(
            session=session, review_id=review_id, user_ids=["UA"], actor_id="UHOST", now=NOW
        )
        old_key = respondent_key(SIGNING_SECRET.encode(), round_.key_salt, "UA")
        save_section(
            session=session,
            review_id=review_id,
            respondent_key=old_key,
            saved=SectionAnswers(1, {"1.01": Answer.AGREE}),
        )
        session.add(ChecklistCompletion(review_id=review_id, respondent_key=old_key))
        salt = round_.key_salt
    assert move_keys_off_signing_secret(deps) == 1
    assert move_keys_off_signing_secret(deps) == 0
    with transaction(deps.sessions) as session:
        new_key = respondent_key(deps.respondent_secret, salt, "UA")
        assert set(session.scalars(select(ChecklistResponse.respondent_key))) == {new_key}
        assert set(session.scalars(select(ChecklistCompletion.respondent_key))) == {new_key}


def test_a_participant_resumes_after_the_move(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA")
    submit_section(slack, start_from_dm(slack, fake_slack, "UA"), "UA", lambda _: Answer.AGREE)
    move_keys_off_signing_secret(bot.deps)
    assert start_from_dm(slack, fake_slack, "UA")["title"]["text"] == "Staff · 2 of 6"
