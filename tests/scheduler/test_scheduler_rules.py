"""Each nudge rule at the right civil moment, on working days, across the clock changes."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest
from sqlalchemy import update

from bot.core.stages import Stage
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.deps import Deps
from bot.reminders._timeline import RULE as TIMELINE_RULE
from bot.reminders.views import DigestFacts, build_weekly_digest
from bot.review_access import get_review
from storage.db import transaction
from storage.models.afis import Afi
from storage.models.reviews import Review
from storage.repositories.reminders import record_done
from storage.repositories.reviews import record_audit

from checklist_helpers import mark_finished
from conftest import SettableClock, TestDatabase
from nudge_helpers import add_review, die_after_recording, nudges, posts, run_at, utc

TIMELINE_CASES = [
    # dates, rule, day it goes out, words in it
    (
        {"pre_meeting": date(2026, 12, 10)},
        "timeline.pre_meeting.week_before",
        date(2026, 12, 3),
        "in 7 days, on Thursday 10 December 2026",
    ),
    (
        {"pre_meeting": date(2026, 12, 10)},
        "timeline.pre_meeting.day_before",
        date(2026, 12, 9),
        "tomorrow, Thursday 10 December 2026",
    ),
    # Papers are due 23 December (2 weeks before fieldwork, on a working day); 2 days before.
    (
        {"fieldwork_start": date(2027, 1, 6)},
        "timeline.papers_due.soon",
        date(2026, 12, 21),
        "Wednesday 23 December 2026",
    ),
    # 4 January 2027 is a Scottish bank holiday, so the working day before is 5 January.
    (
        {"fieldwork_start": date(2027, 1, 6)},
        "timeline.fieldwork_start.day_before",
        date(2027, 1, 5),
        "Fieldwork starts tomorrow",
    ),
    (
        {"draft_report": date(2027, 2, 3)},
        "timeline.draft_report.week_before",
        date(2027, 1, 27),
        "draft report",
    ),
    (
        {"leads_meeting": date(2027, 3, 1)},
        "timeline.leads_meeting.day_before",
        date(2027, 2, 26),
        "leads' meeting",
    ),
    (
        {"final_report": date(2027, 3, 19)},
        "timeline.final_report.week_before",
        date(2027, 3, 12),
        "Final reporting",
    ),
    (
        {"draft_report": date(2027, 2, 5)},
        "timeline.draft_report.missed",
        date(2027, 2, 8),
        "was due on Friday 5 February 2027",
    ),
    (
        {"pre_meeting": date(2026, 12, 10)},
        "timeline.pre_meeting.missed",
        date(2026, 12, 11),
        "was due on Thursday 10 December 2026",
    ),
]


@pytest.mark.parametrize(("dates", "rule", "day", "words"), TIMELINE_CASES)
def test_timeline_nudge_goes_to_the_channel_at_9am_on_its_day_only(
    deps: Deps, fake_slack: FakeSlack, dates: dict[str, Any], rule: str, day: date, words: str
) -> None:
    add_review(deps, **dates)
    run_at(deps, fake_slack, utc(day.year, day.month, day.day, 8, 59))
    assert nudges(deps, rule=rule) == []
    run_at(deps, fake_slack, utc(day.year, day.month, day.day, 9, 0))
    run_at(deps, fake_slack, utc(day.year, day.month, day.day, 9, 5))
    [sent] = nudges(deps, rule=rule)
    assert sent.ts is not None
    assert (sent.status, sent.day) == ("sent", day)
    message = fake_slack.messages[("CREVIEW", sent.ts)]
    assert words in str(message["blocks"])
    assert validate_blocks(message["blocks"], "message") == []
    assert len([post for post in posts(fake_slack) if post["text"] == message["text"]]) == 1


def test_a_milestone_recorded_done_gets_no_more_reminders(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps, pre_meeting=date(2026, 12, 10))
    run_at(deps, fake_slack, utc(2026, 12, 3))
    with transaction(deps.sessions) as session:
        record_done(
            session=session,
            review_id=review_id,
            milestone="pre_meeting",
            actor_id="UHOST",
            now=utc(2026, 12, 4),
        )
    for day in (9, 10, 11, 14):
        run_at(deps, fake_slack, utc(2026, 12, day))
    timeline = [nudge.rule for nudge in nudges(deps) if nudge.rule.startswith("timeline.")]
    assert timeline == ["timeline.pre_meeting.week_before"]


def test_a_stage_past_the_milestone_counts_as_done(deps: Deps, fake_slack: FakeSlack) -> None:
    add_review(deps, stage=Stage.FIELDWORK_CONTEXT, fieldwork_start=date(2027, 1, 6))
    for day in (date(2026, 12, 21), date(2026, 12, 24), date(2027, 1, 5), date(2027, 1, 7)):
        run_at(deps, fake_slack, utc(day.year, day.month, day.day))
    assert [nudge.rule for nudge in nudges(deps) if nudge.rule.startswith("timeline")] == []


def test_a_missed_milestone_is_nudged_the_working_day_after_only_if_not_done(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(
        deps,
        stage=Stage.PRE_WORK,
        fieldwork_start=date(2027, 1, 6),
        fieldwork_end=date(2027, 1, 6),
    )
    run_at(deps, fake_slack, utc(2027, 1, 7))
    [missed] = nudges(deps, rule="timeline.fieldwork_end.missed")
    assert missed.ts is not None
    assert missed.status == "sent"
    assert "/psif done fieldwork" in str(fake_slack.messages[("CREVIEW", missed.ts)]["blocks"])


def test_the_fieldwork_reminder_lists_the_prioritised_areas_for_improvement(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps, fieldwork_start=date(2027, 1, 6))
    with transaction(deps.sessions) as session:
        for number, (text, prioritised, rank) in enumerate(
            [
                ("Pothole backlog", True, 2),
                ("Winter gritting <!here>", True, 1),
                ("Signs", False, None),
            ],
            start=1,
        ):
            session.add(
                Afi(
                    review_id=review_id,
                    number=number,
                    text=text,
                    author_id="UHOST",
                    prioritised=prioritised,
                    rank=rank,
                    created_at=utc(2026, 12, 1),
                    updated_at=utc(2026, 12, 1),
                )
            )
    run_at(deps, fake_slack, utc(2027, 1, 5))
    [sent] = nudges(deps, rule="timeline.fieldwork_start.day_before")
    assert sent.ts is not None
    rendered = str(fake_slack.messages[("CREVIEW", sent.ts)]["blocks"])
    assert "1. Winter gritting &lt;!here&gt;" in rendered and "2. Pothole backlog" in rendered
    assert "Signs" not in rendered
    # The day before, fieldwork can't have been done.
    assert "/psif done" not in rendered


def test_weekly_digest_goes_on_monday_with_last_weeks_activity_and_whats_next(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps, opened=utc(2026, 11, 25, 10), pre_meeting=date(2026, 12, 10))
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        for action, moment in [
            ("team.added", utc(2026, 12, 1, 10)),
            ("team.added", utc(2026, 12, 2, 10)),
            ("afi.added", utc(2026, 12, 6, 23, 59)),
            ("afi.added", utc(2026, 12, 7, 0, 1)),  # this week: not in last week's digest
        ]:
            record_audit(
                session=session,
                review=review,
                actor_id="UHOST",
                action=action,
                details={},
                now=moment,
            )
    # The review opened in the week before 30 November (St Andrew's Day): no digest that week.
    run_at(deps, fake_slack, utc(2026, 12, 1, 9))
    assert nudges(deps, rule="digest.weekly") == []
    run_at(deps, fake_slack, utc(2026, 12, 7, 9))
    [digest] = nudges(deps, rule="digest.weekly")
    assert digest.ts is not None
    assert (digest.day, digest.status) == (date(2026, 12, 7), "sent")
    message = fake_slack.messages[("CREVIEW", digest.ts)]
    rendered = str(message["blocks"])
    assert "2 changes to the team" in rendered
    assert "1 change to the areas for improvement" in rendered
    assert "30 November to 6 December 2026" in rendered
    assert "Thursday 10 December 2026" in rendered  # coming up
    assert validate_blocks(message["blocks"], "message") == []


def test_weekly_digest_moves_to_tuesday_when_monday_is_a_scottish_bank_holiday(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None  # something happened last week, so a digest is due
        record_audit(
            session=session,
            review=review,
            actor_id="UHOST",
            action="team.added",
            details={},
            now=utc(2026, 11, 26, 10),
        )
    run_at(deps, fake_slack, utc(2026, 11, 30, 9))  # St Andrew's Day
    assert nudges(deps) == []
    run_at(deps, fake_slack, utc(2026, 12, 1, 9))
    assert [(n.rule, n.day, n.status) for n in nudges(deps)] == [
        ("digest.weekly", date(2026, 12, 1), "sent")
    ]


def test_civil_hours_follow_the_march_clock_change(deps: Deps, fake_slack: FakeSlack) -> None:
    # Clocks go forward on 28 March 2027: 09:00 in London is then 08:00 UTC.
    add_review(deps, pre_meeting=date(2027, 3, 31))
    run_at(deps, fake_slack, utc(2027, 3, 30, 7, 59))
    assert nudges(deps, rule="timeline.pre_meeting.day_before") == []
    run_at(deps, fake_slack, utc(2027, 3, 30, 8, 0))
    assert [n.status for n in nudges(deps, rule="timeline.pre_meeting.day_before")] == ["sent"]


def test_civil_hours_follow_the_october_clock_change(deps: Deps, fake_slack: FakeSlack) -> None:
    # Before 31 October 2027, 09:00 is 08:00 UTC; from then on it is 09:00 UTC again.
    add_review(deps, pre_meeting=date(2027, 11, 2))
    run_at(deps, fake_slack, utc(2027, 10, 26, 8, 0))  # week-ahead reminder, still BST
    assert [n.status for n in nudges(deps, rule="timeline.pre_meeting.week_before")] == ["sent"]
    run_at(deps, fake_slack, utc(2027, 11, 1, 8, 0))  # 08:00 GMT: too early
    assert nudges(deps, rule="timeline.pre_meeting.day_before") == []
    run_at(deps, fake_slack, utc(2027, 11, 1, 9, 0))
    assert [n.status for n in nudges(deps, rule="timeline.pre_meeting.day_before")] == ["sent"]


def test_a_review_with_its_own_time_zone_gets_nudges_at_9am_there(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, timezone="America/New_York", pre_meeting=date(2026, 12, 10))
    run_at(deps, fake_slack, utc(2026, 12, 9, 13, 59))  # 08:59 in New York
    assert nudges(deps, rule="timeline.pre_meeting.day_before") == []
    run_at(deps, fake_slack, utc(2026, 12, 9, 14, 0))
    [sent] = nudges(deps, rule="timeline.pre_meeting.day_before")
    assert sent.ts is not None
    assert (sent.status, sent.zone) == ("sent", "America/New_York")


def test_nothing_goes_out_at_weekends_or_in_the_evening(deps: Deps, fake_slack: FakeSlack) -> None:
    add_review(deps, pre_meeting=date(2026, 12, 14))  # Monday; reminder due Friday 11th
    run_at(deps, fake_slack, utc(2026, 12, 11, 18, 30))  # Friday evening
    run_at(deps, fake_slack, utc(2026, 12, 12, 10))  # Saturday
    run_at(deps, fake_slack, utc(2026, 12, 13, 10))  # Sunday
    assert posts(fake_slack) == []
    # By Monday morning a "tomorrow" reminder for Monday is stale: recorded, not sent.
    run_at(deps, fake_slack, utc(2026, 12, 14, 9))
    [stale] = nudges(deps, rule="timeline.pre_meeting.day_before")
    assert (stale.status, stale.error) == ("skipped", "stale")
    assert not any("tomorrow" in post["text"] for post in posts(fake_slack))


def test_after_downtime_a_still_useful_nudge_is_sent_once_with_honest_wording(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, pre_meeting=date(2026, 12, 10))
    run_at(deps, fake_slack, utc(2026, 12, 8, 11))  # down since before 3 December
    run_at(deps, fake_slack, utc(2026, 12, 8, 11, 5))
    [late] = nudges(deps, rule="timeline.pre_meeting.week_before")
    assert late.ts is not None
    assert late.status == "sent"
    assert "in 2 days" in fake_slack.messages[("CREVIEW", late.ts)]["text"]
    assert len([post for post in posts(fake_slack) if "pre-meeting" in post["text"]]) == 1


def test_after_downtime_a_stale_nudge_is_recorded_as_skipped(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, pre_meeting=date(2026, 12, 10))
    run_at(deps, fake_slack, utc(2026, 12, 9, 9, 30))
    week, day = (
        nudges(deps, rule="timeline.pre_meeting.week_before")[0],
        nudges(deps, rule="timeline.pre_meeting.day_before")[0],
    )
    assert (week.status, week.error) == ("skipped", "stale")
    assert day.status == "sent"


def test_closed_reviews_get_nothing(db: TestDatabase, deps: Deps, fake_slack: FakeSlack) -> None:
    add_review(deps, stage=Stage.FOLLOW_UP, pre_meeting=date(2026, 12, 10))
    with transaction(deps.sessions) as session:
        session.execute(update(Review).values(closed_at=utc(2026, 12, 1)))
    run_at(deps, fake_slack, utc(2026, 12, 3))
    assert nudges(deps) == []


def test_digest_builder_stays_within_slack_limits_with_much_activity() -> None:
    facts = DigestFacts(
        host_council="Fife",
        focus="x" * 5000,
        stage=Stage.REPORTING,
        week_start=date(2026, 11, 30),
        week_end=date(2026, 12, 6),
        activity=[f"{n} updates" for n in range(200)],
        coming=[("Leads' meeting on the draft", date(2026, 12, 10))] * 50,
        overdue=[("draft_report", date(2026, 12, 1))] * 50,
    )
    assert validate_blocks(build_weekly_digest(facts).blocks, "message") == []


def test_a_pass_with_nothing_due_is_quiet(
    deps: Deps, fake_slack: FakeSlack, clock: SettableClock
) -> None:
    add_review(deps, opened=clock(), pre_meeting=date(2027, 6, 10))
    report = run_at(deps, fake_slack, clock() + timedelta(hours=1))
    assert (report.recorded, report.sent) == (0, 0)
    assert fake_slack.calls == []


def test_weekly_digest_counts_finished_self_assessments_and_actions_without_names(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    from bot.core.checklist_loader import load_default_checklist
    from storage.repositories.improvement_actions import ActionFields, add_action
    from storage.repositories.self_assessment import add_participants, ensure_round

    review_id = add_review(deps, opened=utc(2026, 11, 20, 10))
    last_week = utc(2026, 12, 2, 10)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        ensure_round(
            session=session,
            review=review,
            checklist=load_default_checklist(),
            closes_on=date(2026, 12, 20),
            actor_id="UHOST",
            now=last_week,
        )
        add_participants(
            session=session,
            review_id=review_id,
            user_ids=["UA", "UB", "UC"],
            actor_id="UHOST",
            now=last_week,
        )
        for user in ("UA", "UB"):
            mark_finished(session, deps, review_id=review_id, user_id=user)
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(key_action="Fix it", owner_id="UA", due=date(2027, 1, 5)),
            actor_id="UHOST",
            now=last_week,
        )
    run_at(deps, fake_slack, utc(2026, 12, 7, 9))
    [digest] = nudges(deps, rule="digest.weekly", day=date(2026, 12, 7))
    assert digest.ts is not None
    rendered = str(fake_slack.messages[("CREVIEW", digest.ts)]["blocks"])
    assert "Self-assessment: 2 of 3 invited have finished (67%)" in rendered
    assert "1 improvement action logged" in rendered
    assert "<@UA>" not in rendered and "<@UB>" not in rendered


def test_weekly_digest_leaves_out_a_self_assessment_that_closed_before_the_week(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    from bot.core.checklist_loader import load_default_checklist
    from storage.repositories.improvement_actions import ActionFields, add_action
    from storage.repositories.self_assessment import add_participants, ensure_round

    review_id = add_review(deps, opened=utc(2026, 11, 1, 10))
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        ensure_round(
            session=session,
            review=review,
            checklist=load_default_checklist(),
            closes_on=date(2026, 11, 20),  # closed a fortnight before the week covered
            actor_id="UHOST",
            now=utc(2026, 11, 2, 10),
        )
        add_participants(
            session=session,
            review_id=review_id,
            user_ids=["UA"],
            actor_id="UHOST",
            now=utc(2026, 11, 2, 10),
        )
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(key_action="Fix it", owner_id="UA", due=date(2027, 1, 5)),
            actor_id="UHOST",
            now=utc(2026, 12, 2, 10),
        )
    run_at(deps, fake_slack, utc(2026, 12, 7, 9))
    [digest] = nudges(deps, rule="digest.weekly", day=date(2026, 12, 7))
    assert digest.ts is not None
    rendered = str(fake_slack.messages[("CREVIEW", digest.ts)]["blocks"])
    assert "1 improvement action logged" in rendered
    assert "Self-assessment:" not in rendered


def test_a_queued_timeline_nudge_still_goes_if_its_date_moves_to_another_day_it_covers(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps, pre_meeting=date(2026, 12, 12))  # a Saturday
    # The scheduler dies after recording Friday's day-before reminder, before handing it over.
    die_after_recording(deps, fake_slack, utc(2026, 12, 11, 9, 0), TIMELINE_RULE)
    assert [n.status for n in nudges(deps, rule="timeline.pre_meeting.day_before")] == ["pending"]
    with transaction(deps.sessions) as session:
        session.execute(
            update(Review).where(Review.id == review_id).values(pre_meeting=date(2026, 12, 14))
        )
    run_at(deps, fake_slack, utc(2026, 12, 11, 9, 10))
    [reminder] = [post for post in posts(fake_slack) if "pre-meeting" in post["text"].lower()]
    assert "14 December" in reminder["text"] + str(reminder["blocks"])
