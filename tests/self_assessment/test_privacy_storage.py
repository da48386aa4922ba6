"""Moving today's data, forgetting people, purging old reviews and re-keying (issue 17)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlalchemy import select, update

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
from conftest import SIGNING_SECRET, RunningBot
from fake_slack import FakeSlack
from helpers import wait_until_delivered
from slack_driver import SlackDriver

CHECKLIST = load_default_checklist()
NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


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
    assert start_from_dm(slack, fake_slack, "UA")["title"]["text"] == "Section 2 of 6"
