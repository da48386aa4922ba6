"""Slack failing at the call that follows each flow's saved change: a 429 with Retry-After,
a run of 500s, or a Slack that answers in seconds. Whatever the fault, the person is told the
change is saved (never that it failed), the change is stored once, and its Slack effect
arrives exactly once when Slack recovers; if Slack refuses for good (the bot was removed from
the channel), the person is told what to do. Actions, the report, stage moves and nudges have
their own such tests (test_outbox.py, test_report.py, test_psif_commands.py,
test_scheduler_delivery.py, which also covers timeouts)."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from sqlalchemy import func, select

from bot.slack import ids
from storage.db import transaction
from storage.models.afis import AfiVoteRound
from storage.models.reminders import MilestoneDone
from storage.models.reviews import TeamMember
from storage.models.self_assessment import ChecklistParticipant

from action_helpers import CHANNEL, wait_until
from afi_helpers import HOST_LEAD, seed_voting_review, start_vote
from conftest import RunningBot, SettableClock
from fake_slack import FakeSlack
from fieldwork_helpers import AFTER_FIELDWORK, answer_to, seed_fieldwork_review
from helpers import wait_until_delivered
from slack_driver import SlackDriver

FAILURE_TEXT = ("didn't go through", "try again", "went wrong")


@dataclass(frozen=True)
class Fault:
    name: str
    inject: Callable[[FakeSlack, str], None]


FAULTS = [
    Fault("429", lambda fake, method: fake.fail_next(method, "ratelimited", retry_after=1)),
    Fault(
        "500s",
        lambda fake, method: fake.fail_next(method, "internal_error", status=500, times=3),
    ),
]


def said_to_people(fake: FakeSlack) -> str:
    return json.dumps([post.body for post in fake.responses])


def count_of(bot: RunningBot, column: object) -> int:
    with transaction(bot.deps.sessions) as session:
        return int(session.scalar(select(func.count(column))) or 0)  # type: ignore[arg-type]


def delivered_posts(fake: FakeSlack, channel: str, contains: str) -> int:
    return sum(
        1
        for call in fake.calls_to("chat.postMessage")
        if call.ok and call.args.get("channel") == channel and contains in str(call.args)
    )


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_invitations_reach_everyone_once_through_a_slack_fault(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, fault: Fault
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    fault.inject(fake_slack, "chat.postMessage")
    told = answer_to(slack, fake_slack, "/psif", "invite <@UA1|a> <@UA2|b>", user="UHOST")
    assert "invited" in told["text"].lower() or "invited" in str(told.get("blocks")).lower()
    wait_until_delivered(bot.deps)
    assert count_of(bot, ChecklistParticipant.id) == 2
    for person in ("UA1", "UA2"):
        assert delivered_posts(fake_slack, person, "self-assessment") == 1
    assert not any(text in said_to_people(fake_slack) for text in FAILURE_TEXT)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_a_closed_vote_posts_its_result_once_through_a_slack_fault(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, fault: Fault
) -> None:
    seed_voting_review(bot.deps, afis=3)
    start_vote(slack, fake_slack)
    fault.inject(fake_slack, "chat.postMessage")
    slack.command("/afi", "close", user=HOST_LEAD)
    wait_until_delivered(bot.deps)
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(AfiVoteRound.closed_at)).one() is not None
    assert delivered_posts(fake_slack, CHANNEL, "closed the vote") == 1
    assert not any(text in said_to_people(fake_slack) for text in FAILURE_TEXT)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_a_peer_added_to_the_team_is_welcomed_once_through_a_slack_fault(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, fault: Fault
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    fault.inject(fake_slack, "chat.postMessage")
    answer_to(slack, fake_slack, "/psif", "team add <@UNEW|new> as peer Angus", user="UHOST")
    wait_until_delivered(bot.deps)
    with transaction(bot.deps.sessions) as session:
        roles = session.scalars(select(TeamMember.role).where(TeamMember.user_id == "UNEW")).all()
    assert roles == ["peer_reviewer"]
    assert delivered_posts(fake_slack, "UNEW", "critical friend") == 1
    assert not any(text in said_to_people(fake_slack) for text in FAILURE_TEXT)


@pytest.mark.parametrize("fault", FAULTS, ids=lambda fault: fault.name)
def test_the_papers_go_out_once_through_a_slack_fault(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, fault: Fault
) -> None:
    seed_fieldwork_review(bot.deps.sessions)
    answer_to(slack, fake_slack, "/psif", "papers add KPIs https://fife.example/kpis", user="UH2")
    fault.inject(fake_slack, "chat.postMessage")
    told = answer_to(slack, fake_slack, "/psif", "papers send", user="UHOST")
    assert told["text"] == "✅ Papers sent."
    wait_until_delivered(bot.deps)
    assert delivered_posts(fake_slack, CHANNEL, "Papers for fieldwork") == 1
    for member in ("UIS", "UH2", "UPEER"):  # not the sender: they saw the pack posted
        assert delivered_posts(fake_slack, member, "fife.example/kpis") == 1
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(MilestoneDone.milestone)).all() == ["papers_due"]
    assert not any(text in said_to_people(fake_slack) for text in FAILURE_TEXT)


def test_a_slow_slack_never_holds_up_the_answer_to_a_saved_change(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    clock.set(AFTER_FIELDWORK)  # the draft follows fieldwork (3–5 March 2027)
    seed_fieldwork_review(bot.deps.sessions)
    answer_to(slack, fake_slack, "/psif", "papers add KPIs https://fife.example/kpis", user="UH2")
    for method in ("chat.postMessage", "files.getUploadURLExternal", "conversations.open"):
        fake_slack.delay(method, 3.0)
    for command, text in (("/psif", "papers send"), ("/psif", "report")):
        reply, _, _ = slack.command(command, text, user="UHOST", channel=CHANNEL)
        assert reply.status == 200 and reply.elapsed < 2.0, (text, reply.elapsed)
    for method in ("chat.postMessage", "files.getUploadURLExternal", "conversations.open"):
        fake_slack.delay(method, 0)
    wait_until(lambda: delivered_posts(fake_slack, CHANNEL, "Draft report") == 1, "the draft")
    assert ids.REPORT_COMMENT in str(fake_slack.messages_in(CHANNEL))


def told_to(fake: FakeSlack, user: str) -> str:
    """Everything said to `user` ephemerally or by DM so far."""
    direct = [
        str(call.args)
        for call in fake.calls_to("chat.postMessage")
        if call.ok and call.args.get("channel") == user
    ]
    return said_to_people(fake) + json.dumps(direct)


def test_a_vote_closed_in_a_channel_the_bot_has_left_tells_the_closer_what_to_do(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=3)
    start_vote(slack, fake_slack)
    fake_slack.set_channel(CHANNEL, is_member=False)  # someone removed the bot
    slack.command("/afi", "close", user=HOST_LEAD)
    wait_until_delivered(bot.deps)
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(AfiVoteRound.closed_at)).one() is not None
    wait_until(lambda: "/invite @PSIF" in told_to(fake_slack, HOST_LEAD), "the closer told")
    assert not any(text in told_to(fake_slack, HOST_LEAD) for text in FAILURE_TEXT)


def test_papers_sent_to_a_channel_the_bot_has_left_still_reach_the_team_and_the_lead_knows(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    clock.set(AFTER_FIELDWORK)  # the draft follows fieldwork (3–5 March 2027)
    seed_fieldwork_review(bot.deps.sessions)
    answer_to(slack, fake_slack, "/psif", "papers add KPIs https://fife.example/kpis", user="UH2")
    fake_slack.set_channel(CHANNEL, is_member=False)  # someone removed the bot
    answer_to(slack, fake_slack, "/psif", "papers send", user="UHOST")
    wait_until_delivered(bot.deps)
    wait_until(lambda: "/invite @PSIF" in told_to(fake_slack, "UHOST"), "the lead told")
    for member in ("UIS", "UH2", "UPEER"):
        assert delivered_posts(fake_slack, member, "fife.example/kpis") == 1
