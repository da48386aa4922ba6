"""Forget means forgotten (issue 23): after `/psif forget-me`, and after the retention purge,
a person's Slack id is nowhere but where README's "Security and privacy" says it stays.

Every table and every string and JSON column is read, found from the models' metadata, so a
table added later is covered without a change here.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from slack_sdk.oauth.installation_store import Installation
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from sqlalchemy import select, update

from bot.core.actions import RagStatus
from bot.core.checklist import Answer
from bot.core.fieldwork import FieldworkKind, FieldworkMode, FieldworkSessionFields
from bot.core.findings import FindingKind, FindingSource
from bot.core.nudges import LOOKBACK_DAYS
from bot.core.people import FORGOTTEN, REMOVED_PERSON
from bot.core.responses import respondent_key
from bot.core.roles import Role
from bot.slack import ids
from bot.slack.outbox import wall_clock
from scheduler.runner import retention_pass
from storage.db import transaction
from storage.models.afis import Afi, AfiVote, AfiVoteClick, AfiVoteRound
from storage.models.installations import INSTALLATIONS_TABLE
from storage.models.outbox import OutboxItem, OutboxStatus
from storage.models.reminders import Nudge
from storage.models.reviews import Review
from storage.models.self_assessment import ChecklistResponse, ChecklistRound
from storage.repositories.fieldwork import add_fieldwork_session
from storage.repositories.findings import NewFinding, add_finding
from storage.repositories.improvement_actions import record_progress
from storage.repositories.outbox import enqueue
from storage.repositories.reminders import mute
from storage.repositories.report import add_comment, add_version, mark_final, resolve_comment
from storage.schema import metadata

from afi_helpers import (
    PEERS,
    afi_ids,
    responses_to,
    round_id,
    seed_voting_review,
    start_vote,
    wait_for_message,
)
from checklist_helpers import CHANNEL, answer_everything, invite, seed_checklist_review
from conftest import RunningBot, SettableClock, TestDatabase
from factories import add_improvement_action, make_review
from fake_slack import FakeSlack
from helpers import wait_until_delivered
from nudge_helpers import run_at
from slack_driver import SlackDriver
from table_scan import Hit, places_naming, rows_of

PERSON = "UFORGET1"
STAKEHOLDER = "UPURGE1"
SELF_ASSESSMENT_REMINDER = datetime(2026, 12, 4, 9, 0, tzinfo=UTC)  # 3 working days before


def kept_by_readme(hit: Hit, today: date) -> bool:
    """README, "Security and privacy" › "Forgetting someone": what stays after forget-me."""
    row = hit.row
    if (hit.table, hit.column) == ("team_members", "user_id"):
        return bool(row["role"] != Role.STAKEHOLDER.value)
    if (hit.table, hit.column) == ("nudges", "recipient"):
        recent = row["day"] >= today - timedelta(days=LOOKBACK_DAYS)
        return recent and not row["rule"].startswith("self_assessment.")
    return (hit.table, hit.column) in {
        ("actions", "owner_id"),
        ("fieldwork_session_runners", "user_id"),
    }


def say(slack: SlackDriver, fake: FakeSlack, command: str, text: str, *, user: str) -> str:
    """Run a slash command in the review's channel; return the first answer's text."""
    _, _, url = slack.command(command, text, user=user, channel=CHANNEL)
    return str(responses_to(fake, url)[0]["text"])


def forget(slack: SlackDriver, fake: FakeSlack, user: str) -> str:
    before = len(fake.responses)
    slack.command("/psif", "forget-me", user=user, channel=f"D{user}", channel_name="directmessage")
    confirmation = fake.wait_for_responses(before + 1)[-1].body
    slack.click_in_message(
        confirmation,
        ids.FORGET_ME_CONFIRM,
        user=user,
        channel=f"D{user}",
        response_url=fake.new_response_url(),
    )
    return str(fake.wait_for_responses(before + 2)[-1].body["text"])


def finish(slack: SlackDriver, fake: FakeSlack, user: str) -> None:
    published = len(fake.calls_to("views.publish"))
    summary = answer_everything(slack, fake, user, lambda _: Answer.AGREE)
    assert slack.submit_view(summary, {}, user=user).status == 200
    fake.wait_for("views.publish", published + 1)  # the last of Finish's Slack calls


def record_the_rest_by(bot: RunningBot, review_id: int, user: str) -> None:
    """What the person did that is quicker to seed than to drive through Slack: a closed
    vote, actions, progress, a finding, the report and a comment, a mute, a fieldwork
    session, reminders (old and recent), the app's installation, and messages not yet sent."""
    now, today = bot.deps.now(), bot.deps.today()
    with transaction(bot.deps.sessions) as session:
        afi = session.scalars(select(Afi).where(Afi.author_id == user)).one()
        vote = AfiVoteRound(
            review_id=review_id,
            channel_id=CHANNEL,
            budget=3,
            per_afi_cap=1,
            opened_by=user,
            opened_at=now,
            closed_by=user,
            closed_at=now,
            top_n=1,
        )
        session.add(vote)
        session.flush()
        session.add_all(
            [
                AfiVote(
                    round_id=vote.id,
                    budget=3,
                    per_afi_cap=1,
                    afi_id=afi.id,
                    voter_id=user,
                    slot=1,
                    afi_slot=1,
                    cast_at=now,
                ),
                AfiVoteClick(
                    round_id=vote.id,
                    voter_id=user,
                    click_key="1.000001",
                    afi_id=afi.id,
                    adding=True,
                ),
            ]
        )
        owned = add_improvement_action(
            session,
            review_id=review_id,
            key_action="Publish routes",
            owner_id=user,
            due=date(2027, 6, 1),
            actor_id=user,
            now=now,
        )
        add_improvement_action(
            session,
            review_id=review_id,
            key_action="Train crews",
            owner_id="UH2",
            due=date(2027, 6, 1),
            actor_id=user,
            now=now,
        )
        record_progress(
            session=session,
            action=owned,
            author_id=user,
            note="Started",
            rag=RagStatus.GREEN,
            now=now,
        )
        run = add_fieldwork_session(
            session=session,
            review_id=review_id,
            fields=FieldworkSessionFields(
                kind=FieldworkKind.FOCUS_GROUP,
                day=date(2027, 3, 4),
                start_minute=600,
                minutes=60,
                afi_ids=(afi.id,),
                runners=(user,),
                participants="Depot staff",
                participant_count=6,
                mode=FieldworkMode.IN_PERSON,
            ),
            actor_id=user,
            now=now,
        )
        add_finding(
            session=session,
            review_id=review_id,
            new=NewFinding(
                afi_id=afi.id,
                kind=FindingKind.CONCERN,
                source=FindingSource.SESSION,
                text="Routes change without notice",
                fieldwork_session_id=run.id,
            ),
            actor_id=user,
            now=now,
        )
        version = add_version(session=session, review_id=review_id, actor_id=user, now=now)
        mark_final(session=session, version=version, actor_id=user, now=now)
        comment = add_comment(
            session=session, version_id=version.id, author_id=user, text="Add the map", now=now
        )
        resolve_comment(session=session, comment=comment, actor_id=user, now=now)
        mute(session=session, review_id=review_id, rule="digest", actor_id=user, now=now)
        for day in (today, today - timedelta(days=LOOKBACK_DAYS + 1)):
            session.add(
                Nudge(
                    review_id=review_id,
                    rule="actions.owner_week_before",
                    day=day,
                    recipient=user,
                    zone="Europe/London",
                    useful_until=day,
                    payload={"action_id": owned.id},
                    status="sent",
                    not_before=now,
                    created_at=now,
                )
            )
        later = wall_clock() + timedelta(days=1)
        enqueue(
            session=session,
            team_id="T0001",
            kind="dm",
            lane=user,
            now=now,
            not_before=later,
            payload={"channel": user, "text": "Your action is due", "blocks": None},
        )
        enqueue(
            session=session,
            team_id="T0001",
            kind="message",
            lane=CHANNEL,
            now=now,
            not_before=later,
            payload={"channel": CHANNEL, "text": f"<@{user}> will run the focus group"},
        )
    SQLAlchemyInstallationStore(
        client_id="111.222", engine=bot.deps.engine, installations_table_name=INSTALLATIONS_TABLE
    ).save(
        Installation(
            app_id="A1",
            team_id="T0001",
            user_id=user,
            user_token="xoxp-forget-me",
            bot_token="xoxb-1",
            bot_id="B1",
            bot_user_id="UBOT",
        )
    )


def test_forget_me_leaves_the_person_only_where_the_readme_says(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, db: TestDatabase
) -> None:
    deps = bot.deps
    review_id = seed_checklist_review(deps)
    with transaction(deps.sessions) as session:  # a review they opened and led, since closed
        other = make_review(
            session, members=((PERSON, Role.HOST_LEAD),), channel="COTHER", now=deps.now()
        )
        other.closed_at = deps.now()
    assert "welcome" in say(
        slack, fake_slack, "/psif", f"team add <@{PERSON}|fo> as host", user="UHOST"
    )
    invite(slack, fake_slack, PERSON, "UB")
    invite(slack, fake_slack, "UC", by=PERSON)
    run_at(deps, fake_slack, SELF_ASSESSMENT_REMINDER)
    finish(slack, fake_slack, PERSON)
    say(slack, fake_slack, "/psif", "snooze 7d", user=PERSON)
    say(slack, fake_slack, "/afi", "add Gritting routes are unclear", user=PERSON)
    say(slack, fake_slack, "/afi", f"add Ask <@{PERSON}|fo> about gritting", user="UHOST")
    say(slack, fake_slack, "/psif", "papers add Roads KPIs <https://fife.example/k>", user=PERSON)
    say(slack, fake_slack, "/psif", "done pre-meeting", user=PERSON)
    wait_until_delivered(deps)
    record_the_rest_by(bot, review_id, PERSON)
    with transaction(deps.sessions) as session:
        salts = {
            r: s
            for r, s in session.execute(select(ChecklistRound.review_id, ChecklistRound.key_salt))
        }
        votes_before = session.scalars(select(AfiVote.voter_id)).all()

    named = {(hit.table, hit.column) for hit in places_naming(db.engine, PERSON)}
    # The scan sees them everywhere they acted, so an empty scan afterwards means something.
    assert named >= {
        ("audit_events", "actor_id"),
        ("audit_events", "details"),
        ("reviews", "created_by"),
        ("team_members", "user_id"),
        ("team_members", "added_by"),
        ("checklist_participants", "user_id"),
        ("checklist_participants", "invited_by"),
        ("checklist_invitation_messages", "user_id"),
        ("nudges", "recipient"),
        ("slack_outbox", "lane"),
        ("slack_outbox", "payload"),
        ("snoozes", "user_id"),
        ("afis", "author_id"),
        ("afis", "text"),
        ("afi_vote_rounds", "opened_by"),
        ("afi_votes", "voter_id"),
        ("afi_vote_clicks", "voter_id"),
        ("actions", "owner_id"),
        ("actions", "created_by"),
        ("action_progress_updates", "author_id"),
        ("findings", "recorded_by"),
        ("fieldwork_sessions", "created_by"),
        ("fieldwork_session_runners", "user_id"),
        ("report_versions", "built_by"),
        ("report_comments", "author_id"),
        ("paper_links", "added_by"),
        ("milestones_done", "done_by"),
        ("reminder_mutes", "muted_by"),
        (INSTALLATIONS_TABLE, "user_id"),
    }

    reply = forget(slack, fake_slack, PERSON)

    left = places_naming(db.engine, PERSON)
    assert [str(hit) for hit in left if not kept_by_readme(hit, deps.today())] == []
    assert {(hit.table, hit.column) for hit in left} == {
        ("team_members", "user_id"),
        ("actions", "owner_id"),
        ("fieldwork_session_runners", "user_id"),
        ("nudges", "recipient"),
    }
    assert "self-assessment records of one review" in reply
    assert "your place on the review team in <#COTHER> and <#CREVIEW>" in reply
    assert "1 action you own" in reply and "1 fieldwork session you run" in reply
    with transaction(deps.sessions) as session:
        keys = set(session.scalars(select(ChecklistResponse.respondent_key)))
        assert len(keys) == 1  # their answers stay, anonymous
        assert respondent_key(deps.respondent_secret, salts[review_id], PERSON) not in keys
        assert len(session.scalars(select(AfiVote.voter_id)).all()) == len(votes_before)
        pending = session.scalars(
            select(OutboxItem).where(OutboxItem.status == OutboxStatus.PENDING.value)
        ).all()
        assert [item.payload["text"] for item in pending] == [
            f"{REMOVED_PERSON} will run the focus group"
        ]
    [installed] = rows_of(db.engine, metadata.tables[INSTALLATIONS_TABLE])
    assert installed["user_id"] == FORGOTTEN and installed["user_token"] is None


def test_the_retention_purge_leaves_nothing_of_a_stakeholder(
    slack: SlackDriver,
    fake_slack: FakeSlack,
    bot: RunningBot,
    db: TestDatabase,
    clock: SettableClock,
) -> None:
    deps = bot.deps
    review_id = seed_checklist_review(deps)
    invite(slack, fake_slack, STAKEHOLDER, "UB")
    run_at(deps, fake_slack, SELF_ASSESSMENT_REMINDER)
    finish(slack, fake_slack, STAKEHOLDER)
    say(slack, fake_slack, "/psif", "snooze 7d", user=STAKEHOLDER)
    wait_until_delivered(deps)
    named = {(hit.table, hit.column) for hit in places_naming(db.engine, STAKEHOLDER)}
    assert named >= {
        ("audit_events", "details"),
        ("team_members", "user_id"),
        ("checklist_participants", "user_id"),
        ("checklist_invitation_messages", "user_id"),
        ("nudges", "recipient"),
        ("slack_outbox", "lane"),
        ("slack_outbox", "payload"),
        ("snoozes", "user_id"),
    }
    with transaction(deps.sessions) as session:
        session.execute(update(Review).where(Review.id == review_id).values(closed_at=deps.now()))
    clock.advance(days=deps.settings.retention_days + 1)

    assert retention_pass(deps) == 1

    assert [str(hit) for hit in places_naming(db.engine, STAKEHOLDER)] == []
    # The review team's own record stays.
    assert {(hit.table, hit.column) for hit in places_naming(db.engine, "UHOST")} >= {
        ("reviews", "created_by"),
        ("team_members", "user_id"),
        ("audit_events", "actor_id"),
    }


def test_forget_me_takes_back_votes_in_a_vote_still_open_and_its_message_catches_up(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, db: TestDatabase
) -> None:
    seed_voting_review(bot.deps, afis=3)
    (message,) = start_vote(slack, fake_slack)
    voter = PEERS[1]
    url = fake_slack.new_response_url()
    slack.click_in_message(
        message,
        ids.AFI_VOTE_ADD,
        user=voter,
        channel=CHANNEL,
        value=f"{round_id(bot)}:{afi_ids(bot)[2]}",
        response_url=url,
        ephemeral=False,
    )
    assert "Vote added to AFI 2" in responses_to(fake_slack, url)[0]["text"]
    wait_for_message(fake_slack, lambda m: "1 person has voted" in m["text"], "the vote")

    forget(slack, fake_slack, voter)

    wait_for_message(fake_slack, lambda m: "0 people have voted" in m["text"], "no votes")
    # Only their place on the team is left (and the vote's message shows no voter).
    assert {(hit.table, hit.column) for hit in places_naming(db.engine, voter)} == {
        ("team_members", "user_id")
    }
