"""Exactly-once delivery through crashes, restarts, concurrent schedulers and Slack errors."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import update

from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.reminders.nudges import Message, PlannedNudge
from bot.slack.blocks import section
from scheduler.nudge_pass import MAX_ATTEMPTS, PassReport, retry_wait
from scheduler.rules import NudgeRule, Planning, Rendering, all_rules
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.reminders import set_snooze

from conftest import BOT_TOKEN
from nudge_helpers import add_review, client_for, nudges, posts, run_at, utc

PRE_MEETING = date(2026, 12, 10)
WEEK_BEFORE = utc(2026, 12, 3, 9)
TIMELINE_ONLY = tuple(rule for rule in all_rules() if rule.name == "timeline")


class Crash(BaseException):
    """The scheduler process dying (not an error the pass could handle)."""


class CrashingClient(WebClient):
    """A real Slack client whose process dies right after its n-th post reached Slack."""

    def __init__(self, fake: FakeSlack, crash_after: int) -> None:
        super().__init__(token=BOT_TOKEN, base_url=fake.base_url, retry_handlers=[])
        self.posts_left = crash_after

    def chat_postMessage(self, **kwargs: Any) -> Any:
        response = super().chat_postMessage(**kwargs)
        self.posts_left -= 1
        if self.posts_left == 0:
            raise Crash
        return response


def test_a_crash_mid_pass_never_resends_and_the_next_pass_sends_the_rest(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    for channel in ("C1", "C2", "C3"):
        add_review(deps, channel=channel, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    with pytest.raises(Crash):
        run_at(deps, fake_slack, WEEK_BEFORE, client=CrashingClient(fake_slack, crash_after=1))
    assert Counter(n.status for n in nudges(deps)) == {"posting": 1, "pending": 2}
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=5))  # the restarted scheduler
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=20))
    assert [len(posts(fake_slack, channel)) for channel in ("C1", "C2", "C3")] == [1, 1, 1]
    assert Counter(n.status for n in nudges(deps)) == {"sent": 2, "interrupted": 1}


def test_two_schedulers_at_once_post_each_nudge_once(deps: Deps, fake_slack: FakeSlack) -> None:
    channels = [f"C{number:03d}" for number in range(40)]
    for channel in channels:
        add_review(deps, channel=channel, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    start = threading.Barrier(2)
    reports: list[PassReport] = []

    def scheduler() -> None:
        client = client_for(fake_slack)
        start.wait()
        reports.append(run_at(deps, fake_slack, WEEK_BEFORE, client=client))

    threads = [threading.Thread(target=scheduler) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    per_channel = Counter(post["channel"] for post in posts_everywhere(fake_slack))
    assert per_channel == dict.fromkeys(channels, 1)
    assert sum(report.sent for report in reports) == 40
    assert {n.status for n in nudges(deps)} == {"sent"}


def posts_everywhere(fake: FakeSlack) -> Iterator[dict[str, Any]]:
    return (call.args for call in fake.calls_to("chat.postMessage") if call.ok)


def test_rate_limited_post_waits_for_retry_after_and_is_sent_once(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    fake_slack.fail_next("chat.postMessage", "ratelimited", retry_after=1)
    report = run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY)
    assert report.sent == 1
    assert [call.status for call in fake_slack.calls_to("chat.postMessage")] == [429, 200]
    assert len(posts(fake_slack)) == 1


def test_server_error_is_retried_on_a_later_pass_with_backoff(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    fake_slack.fail_next("chat.postMessage", "internal_error", status=500, times=2)
    assert run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY).retrying == 1
    [waiting] = nudges(deps)
    assert (waiting.status, waiting.error, waiting.attempts) == ("pending", "http_500", 1)
    # The client retried the 500 once itself (slack-sdk's ServerErrorRetryHandler).
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=4), rules=TIMELINE_ONLY)
    assert len(fake_slack.calls_to("chat.postMessage")) == 2
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=5), rules=TIMELINE_ONLY)
    assert [n.status for n in nudges(deps)] == ["sent"]
    assert len(posts(fake_slack)) == 1


def test_a_nudge_slack_keeps_failing_is_given_up_after_the_last_attempt(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    fake_slack.fail_next("chat.postMessage", "service_unavailable", status=503, times=20)
    moment = WEEK_BEFORE
    for attempt in range(1, MAX_ATTEMPTS + 1):
        run_at(deps, fake_slack, moment, rules=TIMELINE_ONLY)
        moment += retry_wait(attempt)
    [given_up] = nudges(deps)
    assert (given_up.status, given_up.attempts) == ("failed", MAX_ATTEMPTS)
    # Each attempt is one call and the client's own retry of the 503.
    assert len(fake_slack.calls_to("chat.postMessage")) == 2 * MAX_ATTEMPTS


def test_a_timeout_is_retried_on_a_later_pass(deps: Deps, fake_slack: FakeSlack) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    fake_slack.fail_next("chat.postMessage", "request_timeout", status=504)
    # Slack's gateway gave up before posting; and then our own client times out once.
    run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY)
    fake_slack.delay("chat.postMessage", 2.0)
    slow = client_for(fake_slack, timeout=1)
    report = run_at(
        deps, fake_slack, WEEK_BEFORE + timedelta(minutes=5), rules=TIMELINE_ONLY, client=slow
    )
    assert report.retrying == 1 and nudges(deps)[0].error == "timeout"
    fake_slack.delay("chat.postMessage", 0)
    fake_slack.wait_for("chat.postMessage", count=2)  # the timed-out call lands after all
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=20), rules=TIMELINE_ONLY)
    # The retry found the message that did reach Slack, so it did not post it again.
    [sent] = nudges(deps)
    assert sent.status == "sent"
    assert len(fake_slack.messages_in("CREVIEW")) == 1
    assert fake_slack.messages_in("CREVIEW")[0]["ts"] == sent.ts
    assert len(fake_slack.calls_to("conversations.history")) == 1


def test_a_timed_out_nudge_that_never_reached_slack_is_posted_on_retry(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    fake_slack.delay("chat.postMessage", 2.0)  # the 500s come after the delay
    fake_slack.fail_next("chat.postMessage", "internal_error", status=500, times=2)
    run_at(
        deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY, client=client_for(fake_slack, timeout=1)
    )
    fake_slack.delay("chat.postMessage", 0)
    fake_slack.wait_for("chat.postMessage", count=1)  # Slack's late answer: an error
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=5), rules=TIMELINE_ONLY)
    assert [n.status for n in nudges(deps)] == ["sent"]
    assert len(fake_slack.messages_in("CREVIEW")) == 1


@pytest.mark.parametrize("problem", ["channel_not_found", "is_archived", "not_in_channel"])
def test_an_unreachable_channel_stops_channel_nudges_and_tells_the_host_lead_once(
    deps: Deps, fake_slack: FakeSlack, problem: str
) -> None:
    fake_slack.set_channel(
        "CREVIEW",
        missing=problem == "channel_not_found",
        is_archived=problem == "is_archived",
        is_member=problem != "not_in_channel",
    )
    # Two channel nudges due on 3 December: the first fails, the second is not attempted.
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING, draft_report=PRE_MEETING)
    run_at(deps, fake_slack, WEEK_BEFORE)
    run_at(deps, fake_slack, utc(2026, 12, 9, 9))
    to_channel = [
        c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "CREVIEW"
    ]
    to_lead = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UHOST"]
    assert len(to_channel) == 1
    assert len(to_lead) == 1 and to_lead[0].ok
    assert "/psif reminders on" in to_lead[0].args["text"]
    outcomes = Counter((n.status, n.error) for n in nudges(deps))
    assert outcomes == {("failed", problem): 1, ("skipped", "channel_unreachable"): 2}


def _plan_daily_dm(planning: Planning) -> Iterator[PlannedNudge]:
    for review in planning.reviews:
        yield PlannedNudge(
            review_id=review.id,
            rule="personal.daily",
            day=planning.last_day,
            useful_until=planning.last_day,
            summary="A personal reminder",
            recipient="USTAKE",
        )


def _render_dm(rendering: Rendering) -> Message:
    return Message("Your reminder", [section("Your reminder")])


PERSONAL = NudgeRule("personal", "Personal reminders", _plan_daily_dm, _render_dm)


def test_direct_message_rules_respect_a_snooze(deps: Deps, fake_slack: FakeSlack) -> None:
    add_review(deps, opened=WEEK_BEFORE)
    with transaction(deps.sessions) as session:
        set_snooze(
            session=session, user_id="USTAKE", paused_through=date(2026, 12, 4), now=WEEK_BEFORE
        )
    run_at(deps, fake_slack, WEEK_BEFORE, rules=(PERSONAL,))
    run_at(deps, fake_slack, utc(2026, 12, 4, 9), rules=(PERSONAL,))
    run_at(deps, fake_slack, utc(2026, 12, 7, 9), rules=(PERSONAL,))
    assert [(n.day.day, n.status, n.error) for n in nudges(deps)] == [
        (3, "skipped", "snoozed"),
        (4, "skipped", "snoozed"),
        (7, "sent", None),
    ]
    assert len(posts(fake_slack, "USTAKE")) == 1


def _plan_nothing_but_trouble(planning: Planning) -> Iterator[PlannedNudge]:
    raise RuntimeError("a bug in a rule")


def _render_trouble(rendering: Rendering) -> Message:
    raise RuntimeError("a bug in a rule")


BROKEN_PLAN = NudgeRule("broken", "Broken", _plan_nothing_but_trouble, _render_dm)
BROKEN_RENDER = NudgeRule("personal", "Broken render", _plan_daily_dm, _render_trouble, order=1)


def test_a_rule_that_fails_to_plan_does_not_stop_the_others(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    report = run_at(deps, fake_slack, WEEK_BEFORE, rules=(BROKEN_PLAN, *TIMELINE_ONLY))
    assert report.sent == 1


def test_a_nudge_that_fails_to_render_is_recorded_failed_and_the_queue_moves_on(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    report = run_at(deps, fake_slack, WEEK_BEFORE, rules=(BROKEN_RENDER, *TIMELINE_ONLY))
    assert (report.failed, report.sent) == (1, 1)
    assert {n.rule: (n.status, n.error) for n in nudges(deps)} == {
        "personal.daily": ("failed", "render_failed"),
        "timeline.pre_meeting.week_before": ("sent", None),
    }


def test_a_queued_nudge_follows_its_review_to_a_new_time_zone(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    moving = add_review(deps, channel="CMOVING", opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    add_review(deps, channel="CSTAYING", opened=WEEK_BEFORE, pre_meeting=date(2027, 6, 10))
    fake_slack.fail_next("chat.postMessage", "internal_error", status=500, times=2)
    run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY)
    with transaction(deps.sessions) as session:
        session.execute(
            update(Review).where(Review.id == moving).values(timezone="America/New_York")
        )
    run_at(deps, fake_slack, utc(2026, 12, 3, 10), rules=TIMELINE_ONLY)  # 05:00 in New York
    [waiting] = nudges(deps)
    assert (waiting.status, waiting.zone) == ("pending", "America/New_York")
    run_at(deps, fake_slack, utc(2026, 12, 3, 14), rules=TIMELINE_ONLY)  # 09:00 in New York
    assert [n.status for n in nudges(deps)] == ["sent"]
    assert len(posts(fake_slack, "CMOVING")) == 1
