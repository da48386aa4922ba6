"""Reminders about the right things: fieldwork is a span of days, milestones recorded done
leave what's coming, and a missed date says who can mark it done and how."""

from __future__ import annotations

from datetime import date

from bot.core.stages import Stage
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.review_access import get_review
from bot.slack import ids
from storage.db import transaction
from storage.repositories.reminders import record_done
from storage.repositories.reviews import record_audit

from helpers import last_response_text, start_review_through_slack
from nudge_helpers import add_review, nudges, run_at, utc


def test_fieldwork_is_missed_only_after_its_last_day_and_says_who_can_record_it(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(
        deps,
        stage=Stage.PRE_WORK,
        fieldwork_start=date(2027, 1, 6),
        fieldwork_end=date(2027, 1, 8),
    )
    run_at(deps, fake_slack, utc(2027, 1, 7))  # fieldwork day 2
    assert nudges(deps, rule="timeline.fieldwork_end.missed") == []
    run_at(deps, fake_slack, utc(2027, 1, 11))
    [missed] = nudges(deps, rule="timeline.fieldwork_end.missed")
    assert missed.ts is not None
    shown = str(fake_slack.messages[("CREVIEW", missed.ts)]["blocks"])
    assert "*Fieldwork* ended on Friday 8 January 2027" in shown
    assert "host or Improvement Service team members can type `/psif done fieldwork`" in shown


def test_the_weekly_update_leaves_out_milestones_recorded_done(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps, opened=utc(2026, 11, 25, 10), pre_meeting=date(2026, 12, 10))
    with transaction(deps.sessions) as session:
        record_done(
            session=session,
            review_id=review_id,
            milestone="pre_meeting",
            actor_id="UHOST",
            now=utc(2026, 12, 4),
        )
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        record_audit(
            session=session,
            review=review,
            actor_id="UHOST",
            action="team.added",
            details={},
            now=utc(2026, 12, 2, 10),
        )
    run_at(deps, fake_slack, utc(2026, 12, 7, 9))
    [digest] = nudges(deps, rule="digest.weekly")
    assert digest.ts is not None
    shown = str(fake_slack.messages[("CREVIEW", digest.ts)]["blocks"])
    assert "10 December 2026" not in shown
    assert "Nothing on the timeline in the next two weeks" in shown


def test_no_weekly_update_goes_out_when_there_is_nothing_to_say(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=utc(2026, 11, 25, 10))
    before = len(fake_slack.calls_to("chat.postMessage"))
    run_at(deps, fake_slack, utc(2026, 12, 7, 9))
    [digest] = nudges(deps, rule="digest.weekly")
    assert digest.status == "skipped"
    assert len(fake_slack.calls_to("chat.postMessage")) == before


def test_status_no_longer_shows_a_milestone_recorded_done_as_next(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    start_review_through_slack(slack, fake_slack)
    slack.command("/psif", "status")
    assert "Next: *Papers circulated*" in last_response_text(fake_slack)
    slack.command("/psif", "done papers", user="UHOST")
    fake_slack.wait_for_responses(count=2)
    slack.command("/psif", "status")
    status = fake_slack.wait_for_responses(count=3)[-1].body
    assert "Next: *Papers circulated*" not in str(status)
    assert "Next: *Team pre-meeting*" in str(status)
    slack.click_in_message(
        status,
        ids.STATUS_MORE,
        user="UA",
        channel="CREVIEW",
        response_url=fake_slack.new_response_url(),
    )
    assert "✅ Papers circulated" in str(fake_slack.wait_for_responses(count=4)[-1].body)
