"""Exactly-once delivery through the outbox: crashes, restarts, concurrent schedulers and
Slack errors (429 with Retry-After, 5xx, timeouts, unreachable channels)."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from slack_sdk import WebClient
from sqlalchemy import update

from bot.app import outbox_worker
from bot.core.nudges import PlannedNudge
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.reminders._rule import NudgeRule, Planning, Rendering
from bot.reminders.service import RULES
from bot.slack.blocks import Message, section
from scheduler.nudge_pass import PassReport
from storage.db import transaction
from storage.models.outbox import OutboxItem
from storage.models.reviews import Review
from storage.repositories.outbox import items
from storage.repositories.reminders import set_snooze

from nudge_helpers import (
    add_review,
    client_for,
    deliver_outbox,
    die_after_recording,
    nudges,
    posts,
    run_at,
    utc,
)

PRE_MEETING = date(2026, 12, 10)
WEEK_BEFORE = utc(2026, 12, 3, 9)
TIMELINE_ONLY = tuple(rule for rule in RULES if rule.name == "timeline")


def test_a_pass_that_dies_hands_over_nothing_and_the_next_pass_sends_each_once(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    for channel in ("C1", "C2", "C3"):
        add_review(deps, channel=channel, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    die_after_recording(deps, fake_slack, WEEK_BEFORE, TIMELINE_ONLY[0])
    assert Counter(n.status for n in nudges(deps)) == {"pending": 3}
    assert outbox_items(deps) == []
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=5))  # the restarted scheduler
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=10))
    assert [len(posts(fake_slack, channel)) for channel in ("C1", "C2", "C3")] == [1, 1, 1]
    assert Counter(n.status for n in nudges(deps)) == {"sent": 3}
    assert all(n.ts is not None for n in nudges(deps))


SLACK_FAULTS = {
    "slack answers": None,
    "rate limited": ("ratelimited", 429, 4),
    "server errors": ("internal_error", 500, 6),
}


@pytest.mark.parametrize("fault", SLACK_FAULTS.values(), ids=SLACK_FAULTS.keys())
def test_two_schedulers_at_once_post_each_nudge_once(
    deps: Deps, fake_slack: FakeSlack, fault: tuple[str, int, int] | None
) -> None:
    channels = [f"C{number:03d}" for number in range(40)]
    for channel in channels:
        add_review(deps, channel=channel, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    if fault is not None:
        error, status, times = fault
        fake_slack.fail_next("chat.postMessage", error, status=status, times=times, retry_after=1)
    start = threading.Barrier(2)
    reports: list[PassReport] = []

    def scheduler() -> None:
        client = client_for(fake_slack)
        start.wait()
        # Each process's pass, then its outbox worker delivering at the same time as the other.
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
    assert Counter(item.status for item in outbox_items(deps)) == {"sent": 40}
    failed = [call.status for call in fake_slack.calls_to("chat.postMessage") if not call.ok]
    assert len(failed) == (fault[2] if fault else 0)


def posts_everywhere(fake: FakeSlack) -> Iterator[dict[str, Any]]:
    return (call.args for call in fake.calls_to("chat.postMessage") if call.ok)


def outbox_items(deps: Deps) -> list[OutboxItem]:
    with transaction(deps.sessions) as session:
        return items(session=session)


def test_a_rate_limited_nudge_waits_for_retry_after_and_is_sent_once(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    # The client waits out the first 429 itself; the outbox waits out the second.
    fake_slack.fail_next("chat.postMessage", "ratelimited", retry_after=1, times=2)
    report = run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY)
    assert report.sent == 1
    calls = fake_slack.calls_to("chat.postMessage")
    assert [call.status for call in calls] == [429, 429, 200]
    assert calls[1].timestamp - calls[0].timestamp >= 0.9
    assert calls[2].timestamp - calls[1].timestamp >= 0.9
    assert len(posts(fake_slack)) == 1
    [sent] = nudges(deps)
    assert sent.ts == posts_everywhere_ts(fake_slack)[0]


def posts_everywhere_ts(fake: FakeSlack) -> list[str]:
    return [str(call.response["ts"]) for call in fake.calls_to("chat.postMessage") if call.ok]


def test_server_errors_are_retried_until_slack_recovers_and_posted_once(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    fake_slack.fail_next("chat.postMessage", "internal_error", status=500, times=5)
    run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY)
    assert [call.status for call in fake_slack.calls_to("chat.postMessage")] == [500] * 5 + [200]
    [item] = outbox_items(deps)
    # Each attempt is one call and the client's own retry of the 500.
    assert (item.status, item.attempts) == ("sent", 3)
    assert [n.status for n in nudges(deps)] == ["sent"]
    assert len(posts(fake_slack)) == 1
    run_at(deps, fake_slack, WEEK_BEFORE + timedelta(minutes=5), rules=TIMELINE_ONLY)
    assert len(posts(fake_slack)) == 1


def test_a_timeout_is_retried_without_posting_twice(deps: Deps, fake_slack: FakeSlack) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY, deliver=False)
    fake_slack.delay("chat.postMessage", 2.0)
    one_attempt(deps, client_for(fake_slack, timeout=1))
    assert [item.last_error for item in outbox_items(deps)] == ["timeout"]
    fake_slack.delay("chat.postMessage", 0)
    fake_slack.wait_for("chat.postMessage", count=1)  # the timed-out call lands after all
    deliver_outbox(deps, client_for(fake_slack))
    # The retry found the message that did reach Slack, so it did not post it again.
    [sent] = nudges(deps)
    assert sent.status == "sent"
    assert len(fake_slack.messages_in("CREVIEW")) == 1
    assert fake_slack.messages_in("CREVIEW")[0]["ts"] == sent.ts
    assert len(fake_slack.calls_to("conversations.history")) == 1


def one_attempt(deps: Deps, client: WebClient) -> None:
    outbox_worker(deps, lambda _team: client).deliver_due()


def test_a_timed_out_nudge_that_never_reached_slack_is_posted_on_retry(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    add_review(deps, opened=WEEK_BEFORE, pre_meeting=PRE_MEETING)
    run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY, deliver=False)
    fake_slack.delay("chat.postMessage", 2.0)  # the 500s come after the delay
    fake_slack.fail_next("chat.postMessage", "internal_error", status=500, times=2)
    one_attempt(deps, client_for(fake_slack, timeout=1))
    fake_slack.delay("chat.postMessage", 0)
    fake_slack.wait_for("chat.postMessage", count=1)  # Slack's late answer: an error
    deliver_outbox(deps, client_for(fake_slack))
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
    # Two channel nudges due on 3 December share one morning post, which fails; the one due
    # on 9 December is not attempted.
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
    assert outcomes == {("failed", problem): 2, ("skipped", "channel_unreachable"): 1}


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
BROKEN_RENDER = NudgeRule("personal", "Broken render", _plan_daily_dm, _render_trouble)


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
    die_after_recording(deps, fake_slack, WEEK_BEFORE, TIMELINE_ONLY[0])
    with transaction(deps.sessions) as session:
        session.execute(
            update(Review).where(Review.id == moving).values(timezone="America/New_York")
        )
    run_at(deps, fake_slack, utc(2026, 12, 3, 10), rules=TIMELINE_ONLY)  # 05:00 in New York
    [waiting] = nudges(deps)
    assert (waiting.status, waiting.zone) == ("pending", "America/New_York")
    assert posts(fake_slack, "CMOVING") == []
    run_at(deps, fake_slack, utc(2026, 12, 3, 14), rules=TIMELINE_ONLY)  # 09:00 in New York
    assert [n.status for n in nudges(deps)] == ["sent"]
    assert len(posts(fake_slack, "CMOVING")) == 1
