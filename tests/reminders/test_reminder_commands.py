"""`/psif reminders`, `/psif snooze` and `/psif done` through signed requests."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.checklist_loader import load_default_checklist
from bot.core.stages import Stage
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.deps import Deps
from bot.review_access import get_review
from storage.db import transaction
from storage.repositories.reminders import done_milestones, snoozes_running
from storage.repositories.self_assessment import add_participants, ensure_round

from checklist_helpers import mark_finished
from conftest import SettableClock
from nudge_helpers import add_review, nudges, posts, run_at, utc


def answer(
    slack: SlackDriver, fake: FakeSlack, text: str, *, user: str = "UHOST"
) -> dict[str, Any]:
    before = len(fake.responses)
    slack.command("/psif", text, user=user)
    return fake.wait_for_responses(before + 1)[-1].body


def test_reminders_off_mutes_the_review_and_on_brings_them_back(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    add_review(deps, pre_meeting=date(2026, 12, 10))
    assert "are off" in answer(slack, fake_slack, "reminders off")["text"]
    run_at(deps, fake_slack, utc(2026, 12, 3))
    assert [(n.status, n.error) for n in nudges(deps, rule="timeline.pre_meeting.week_before")] == [
        ("skipped", "muted")
    ]
    assert "are on" in answer(slack, fake_slack, "reminders on")["text"]
    run_at(deps, fake_slack, utc(2026, 12, 9))
    assert [n.status for n in nudges(deps, rule="timeline.pre_meeting.day_before")] == ["sent"]


def test_reminders_can_be_muted_per_kind(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    add_review(deps, pre_meeting=date(2026, 12, 8))
    answer(slack, fake_slack, "reminders off digest")
    run_at(deps, fake_slack, utc(2026, 12, 7))  # a Monday: digest and the day-before reminder
    outcomes = {n.rule: (n.status, n.error) for n in nudges(deps)}
    assert outcomes["digest.weekly"] == ("skipped", "muted")
    assert outcomes["timeline.pre_meeting.day_before"] == ("sent", None)


def test_only_leads_can_switch_reminders_and_unknown_kinds_are_explained(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    add_review(deps)
    assert (
        "Only the review's host lead or"
        in answer(slack, fake_slack, "reminders off", user="USTAKE")["text"]
    )
    reply = answer(slack, fake_slack, "reminders off everything")["text"]
    assert "no kind of reminder called `everything`" in reply and "`timeline`" in reply


def test_reminders_lists_the_next_14_days(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps, clock: SettableClock
) -> None:
    add_review(deps, opened=clock(), pre_meeting=date(2026, 12, 10), draft_report=date(2027, 1, 20))
    answer(slack, fake_slack, "reminders off digest")
    answer(slack, fake_slack, "snooze 3d")
    body = answer(slack, fake_slack, "reminders")
    rendered = str(body["blocks"])
    assert validate_blocks(body["blocks"], "message") == []
    assert "Thursday 3 December 2026*: Reminder: Team pre-meeting on 10 December 2026" in rendered
    assert "Weekly update" in rendered and "(off)" in rendered
    assert "Draft report" not in rendered  # its reminder is more than 14 days away
    assert "paused until the end of 27 November 2026" in rendered


def test_reminders_on_restarts_channel_reminders_after_the_channel_is_fixed(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    add_review(deps, pre_meeting=date(2026, 12, 10))
    fake_slack.set_channel("CREVIEW", is_member=False)
    run_at(deps, fake_slack, utc(2026, 12, 3))
    assert "stopped" in str(answer(slack, fake_slack, "reminders")["blocks"])
    fake_slack.set_channel("CREVIEW", is_member=True)
    answer(slack, fake_slack, "reminders on")
    run_at(deps, fake_slack, utc(2026, 12, 9))
    assert [n.status for n in nudges(deps, rule="timeline.pre_meeting.day_before")] == ["sent"]
    assert len([post for post in posts(fake_slack) if "pre-meeting" in post["text"]]) == 1


def test_snooze_pauses_until_a_date_and_off_ends_it(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    today = date(2026, 11, 25)
    assert "until the end of 1 December 2026" in answer(slack, fake_slack, "snooze 7d")["text"]
    assert (
        "until the end of 10 March 2027"
        in answer(slack, fake_slack, "snooze until 2027-03-10")["text"]
    )
    with transaction(deps.sessions) as session:
        assert snoozes_running(session=session, today=today).get("UHOST") == date(2027, 3, 10)
    assert "10 March 2027" in answer(slack, fake_slack, "snooze")["text"]
    # UK forms and phrases (today is Wednesday 25 November 2026).
    for typed, shown in (
        ("snooze until 10/03/2027", "10 March 2027"),
        ("snooze until 10 Mar 2027", "10 March 2027"),
        ("snooze until Monday", "30 November 2026"),
        ("snooze next week", "1 December 2026"),
    ):
        assert f"until the end of {shown}" in answer(slack, fake_slack, typed)["text"]
    assert "back on" in answer(slack, fake_slack, "snooze off")["text"]
    with transaction(deps.sessions) as session:
        assert snoozes_running(session=session, today=today).get("UHOST") is None


def test_snooze_explains_what_it_could_not_read(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    assert "snooze 7d" in answer(slack, fake_slack, "snooze for a bit")["text"]
    assert "already passed" in answer(slack, fake_slack, "snooze until 2020-01-01")["text"]


def test_done_records_a_milestone_once_and_stops_its_reminders(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = add_review(deps, fieldwork_start=date(2027, 1, 6))
    assert answer(slack, fake_slack, "done papers")["text"] == (
        "✅ Recorded: the papers have gone out. I won't send reminders about it again."
    )
    assert answer(slack, fake_slack, "done Papers")["text"] == (
        "Already recorded: the papers have gone out."
    )
    assert "Recorded: fieldwork has started." in answer(slack, fake_slack, "done fieldwork")["text"]
    with transaction(deps.sessions) as session:
        assert done_milestones(session=session, review_id=review_id) == {
            "papers_due",
            "fieldwork_start",
        }
    run_at(deps, fake_slack, utc(2026, 12, 21))
    assert nudges(deps, rule="timeline.papers_due.soon") == []


def test_done_fieldwork_once_it_has_started_records_its_end(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = add_review(
        deps,
        stage=Stage.FIELDWORK_PLANNING,
        fieldwork_start=date(2027, 1, 6),
        fieldwork_end=date(2027, 1, 8),
    )
    assert answer(slack, fake_slack, "done fieldwork")["text"] == (
        "✅ Recorded: fieldwork is over. I won't send reminders about it again."
    )
    with transaction(deps.sessions) as session:
        assert done_milestones(session=session, review_id=review_id) == {"fieldwork_end"}


def test_done_for_a_milestone_the_stage_has_passed_records_no_later_date(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    review_id = add_review(deps, stage=Stage.FIELDWORK_CONTEXT, pre_meeting=date(2026, 12, 10))
    assert answer(slack, fake_slack, "done pre-meeting")["text"] == (
        "Already done: the team pre-meeting has taken place (the review has moved on to "
        "Fieldwork: context setting and prioritisation)."
    )
    with transaction(deps.sessions) as session:
        assert done_milestones(session=session, review_id=review_id) == frozenset()


def test_done_lists_milestones_and_refuses_strangers_and_typos(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps
) -> None:
    add_review(deps, pre_meeting=date(2026, 12, 10))
    listing = answer(slack, fake_slack, "done")["text"]
    assert "`pre-meeting`: Team pre-meeting (10 December 2026)" in listing
    assert "don't know the milestone `lunch`" in answer(slack, fake_slack, "done lunch")["text"]
    assert "Only the review's" in answer(slack, fake_slack, "done papers", user="USTAKE")["text"]


def test_reminders_never_name_who_has_not_finished_the_self_assessment(
    slack: SlackDriver, fake_slack: FakeSlack, deps: Deps, clock: SettableClock
) -> None:
    review_id = add_review(deps, opened=clock())
    invited = ["USTAKE", "UB", "UC", "UD"]
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        ensure_round(
            session=session,
            review=review,
            checklist=load_default_checklist(),
            closes_on=date(2026, 12, 3),
            actor_id="UHOST",
            now=clock(),
        )
        add_participants(
            session=session, review_id=review_id, user_ids=invited, actor_id="UHOST", now=clock()
        )
        mark_finished(session, deps, review_id=review_id, user_id="UD")
    body = answer(slack, fake_slack, "reminders", user="USTAKE")
    rendered = str(body["blocks"])
    assert "UB" not in rendered and "UC" not in rendered
    reminder_lines = [line for line in rendered.split("\\n") if "Direct reminder" in line]
    assert len(reminder_lines) == 2  # one line per day, not one per person
    assert all("you and 2 others" in line for line in reminder_lines)
