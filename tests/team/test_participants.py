"""Host participants: the host council's officers taking part in fieldwork, a group of their
own (neither the review team nor stakeholders). Leads add and remove them; the papers and
the fieldwork schedule reach them by direct message through the outbox."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select

from bot.core.checklist import Answer
from bot.core.timeline import Timeline
from bot.team.service import host_participants
from storage.db import transaction
from storage.models.reviews import AuditEvent
from storage.repositories.forgetting import forget_person

from action_helpers import CHANNEL, wait_until
from conftest import RunningBot
from fake_slack import FakeSlack, validate_blocks
from fieldwork_helpers import (
    answer_to,
    dms_to,
    open_view_by_command,
    seed_fieldwork_review,
    seed_self_assessment,
    session_form,
)
from helpers import wait_until_delivered
from slack_driver import SlackDriver


def participants(bot: RunningBot, review_id: int) -> list[str]:
    with transaction(bot.deps.sessions) as session:
        return host_participants(session=session, review_id=review_id)


def dms_to_officer(fake: FakeSlack) -> list[dict[str, Any]]:
    """What the bot sent UOFF1 directly: by user id, or in the DM the pack opens (so that
    the self-assessment report can follow in its thread)."""
    dm = fake.dm_ids.get(("UOFF1",))
    return dms_to(fake, "UOFF1") + (dms_to(fake, dm) if dm else [])


def dm_saying(fake: FakeSlack, words: str) -> bool:
    return any(words in str(dm.get("blocks")) for dm in dms_to_officer(fake))


def test_leads_add_and_remove_host_participants_who_are_neither_team_nor_stakeholders(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    refused = answer_to(slack, fake_slack, "/psif", "participants add <@UOFF1|a>", user="UH2")
    assert "Only the review's host lead or Improvement Service lead" in refused["text"]
    added = answer_to(
        slack, fake_slack, "/psif", "participants add <@UOFF1|a> <@UOFF2|b> <@UH2|h>", user="UHOST"
    )
    assert "Done: the channel is told" in added["text"]
    assert "<@UH2> is on the review team" in added["text"]
    assert participants(bot, seeded.review_id) == ["UOFF1", "UOFF2"]
    wait_until_delivered(bot.deps)
    welcome = str(dms_to(fake_slack, "UOFF1"))
    assert "officers taking part in fieldwork" in welcome and "confidential" in welcome
    channel = [c.args["text"] for c in fake_slack.calls_to("chat.postMessage")]
    assert sum("as host participants" in text for text in channel) == 1

    listed = answer_to(slack, fake_slack, "/psif", "participants", user="UPEER")
    assert "<@UOFF1> and <@UOFF2>" in str(listed["blocks"])
    assert validate_blocks(listed["blocks"], "message") == []
    stranger = answer_to(slack, fake_slack, "/psif", "participants", user="USTRANGER")
    assert "Only the review's team" in stranger["text"]

    removed = answer_to(
        slack, fake_slack, "/psif", "participants remove <@UOFF2|b> <@UNOBODY|n>", user="UIS"
    )
    assert "<@UNOBODY> isn't a host participant" in removed["text"]
    assert participants(bot, seeded.review_id) == ["UOFF1"]
    with transaction(bot.deps.sessions) as session:
        actions = set(session.scalars(select(AuditEvent.action)))
    assert {"participants.added", "participants.removed"} <= actions
    typo = answer_to(slack, fake_slack, "/psif", "participants wibble", user="UHOST")
    assert "/psif participants add @a @b" in typo["text"]


def test_the_papers_and_the_fieldwork_schedule_reach_host_participants_by_direct_message(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    seed_self_assessment(
        bot.deps, seeded.review_id, [Answer.AGREE, Answer.DISAGREE] * 2 + [Answer.AGREE]
    )
    early = answer_to(slack, fake_slack, "/psif", "participants send", user="UHOST")
    assert "no host participants yet" in early["text"]
    answer_to(slack, fake_slack, "/psif", "participants add <@UOFF1|a>", user="UHOST")
    answer_to(slack, fake_slack, "/psif", "papers add KPIs https://fife.example/kpis", user="UH2")
    sent = answer_to(slack, fake_slack, "/psif", "papers send", user="UHOST")
    assert sent["text"] == "✅ Papers sent."
    wait_until(lambda: dm_saying(fake_slack, "fife.example/kpis"), "the papers to them")
    pack = next(dm for dm in dms_to_officer(fake_slack) if "fife.example/kpis" in str(dm))
    assert f"<#{CHANNEL}>" not in str(pack["blocks"])  # they aren't in the review's channel
    officer_dm = fake_slack.dm_ids[("UOFF1",)]
    wait_until(
        lambda: any(f.completed and f.channel_id == officer_dm for f in fake_slack.files.values()),
        "the self-assessment report in the thread of their pack",
    )

    # Someone added later gets the papers with the schedule; nobody gets the papers twice.
    answer_to(slack, fake_slack, "/psif", "participants add <@UOFF2|b>", user="UHOST")
    schedule = answer_to(slack, fake_slack, "/psif", "participants send", user="UHOST")
    assert schedule["text"] == (
        "Done: the fieldwork schedule is on its way to 2 host participants by direct message, "
        "and the papers to 1 host participant added since they went out."
    )
    wait_until(lambda: dm_saying(fake_slack, "Fieldwork schedule"), "the schedule to them")
    wait_until_delivered(bot.deps)
    assert sum("fife.example/kpis" in str(dm) for dm in dms_to_officer(fake_slack)) == 1
    newcomer = fake_slack.dm_ids.get(("UOFF2",), "UOFF2")
    assert any("fife.example/kpis" in str(dm) for dm in dms_to(fake_slack, newcomer))
    assert any("as it stood on" in str(dm) for dm in dms_to_officer(fake_slack))
    for dm in dms_to_officer(fake_slack):
        assert validate_blocks(dm.get("blocks"), "message") == []


def plan_session(slack: SlackDriver, fake_slack: FakeSlack, afi_id: int) -> None:
    view = open_view_by_command(slack, fake_slack, "/psif", "fieldwork plan")
    reply = slack.submit_view(view, session_form(fw_afis=[str(afi_id)]), user="UHOST")
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body


def test_host_participants_get_the_changed_schedule_once_they_have_had_it(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    afi_id = seed_fieldwork_review(bot.deps.sessions).afis["budget"]
    answer_to(slack, fake_slack, "/psif", "participants add <@UOFF1|a>", user="UHOST")
    plan_session(slack, fake_slack, afi_id)  # before they have had the schedule: the leads send it
    wait_until_delivered(bot.deps)
    assert not dm_saying(fake_slack, "Fieldwork schedule")
    answer_to(slack, fake_slack, "/psif", "participants send", user="UHOST")
    wait_until(lambda: dm_saying(fake_slack, "Fieldwork schedule"), "the schedule to them")
    assert dm_saying(fake_slack, "I'll send it again if it changes")

    plan_session(slack, fake_slack, afi_id)
    wait_until_delivered(bot.deps)
    wait_until(lambda: dm_saying(fake_slack, "schedule has changed"), "the changed schedule")
    [changed] = [dm for dm in dms_to_officer(fake_slack) if "schedule has changed" in str(dm)]
    shown = str(changed["blocks"])
    assert "<@UHOST> planned" in shown and "session 2" in shown
    assert validate_blocks(changed["blocks"], "message") == []


def test_by_default_the_papers_are_due_two_weeks_before_fieldwork_and_before_the_pre_meeting() -> (
    None
):
    fieldwork = date(2027, 3, 3)  # a Wednesday
    same_day = Timeline(fieldwork_start=fieldwork, pre_meeting=date(2027, 2, 17))
    assert same_day.papers_due == date(2027, 2, 16)  # the working day before the pre-meeting
    early_meeting = Timeline(fieldwork_start=fieldwork, pre_meeting=date(2027, 2, 8))  # Monday
    assert early_meeting.papers_due == date(2027, 2, 5)  # the Friday before
    no_meeting = Timeline(fieldwork_start=fieldwork)
    assert no_meeting.papers_due == date(2027, 2, 17)  # 2 weeks before fieldwork
    # The pre-meeting the day after St Andrew's Day (a Monday in 2026): the papers go on the
    # last working day before it, the Friday.
    holiday = Timeline(fieldwork_start=date(2026, 12, 16), pre_meeting=date(2026, 12, 1))
    assert holiday.papers_due == date(2026, 11, 27)


def test_a_host_participant_who_asks_to_be_forgotten_leaves_the_group(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seeded = seed_fieldwork_review(bot.deps.sessions)
    answer_to(slack, fake_slack, "/psif", "participants add <@UOFF1|a> <@UOFF2|b>", user="UHOST")
    with transaction(bot.deps.sessions) as session:
        forget_person(session=session, user_id="UOFF1", keep_reminders_since=date(2027, 1, 1))
    assert participants(bot, seeded.review_id) == ["UOFF2"]
