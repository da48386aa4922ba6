"""Self-assessment reminders: direct messages to those not finished, totals to the channel."""

from __future__ import annotations

from datetime import date
from typing import Any

from bot.core.checklist_loader import load_default_checklist
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.deps import Deps
from bot.reminders._self_assessment import RULE
from bot.review_access import get_review
from storage.db import transaction
from storage.repositories.reminders import set_snooze
from storage.repositories.self_assessment import (
    add_participants,
    ensure_round,
    get_checklist_round,
)

from checklist_helpers import mark_finished
from nudge_helpers import OPENED, add_review, die_after_recording, nudges, posts, run_at, utc

CLOSES = date(2026, 12, 10)  # a Thursday


def issue(
    deps: Deps,
    review_id: int,
    invited: list[str],
    finished: list[str],
    closes_on: date = CLOSES,
) -> None:
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        ensure_round(
            session=session,
            review=review,
            checklist=load_default_checklist(),
            closes_on=closes_on,
            actor_id="UHOST",
            now=OPENED,
        )
        add_participants(
            session=session, review_id=review_id, user_ids=invited, actor_id="UHOST", now=OPENED
        )
        for user in finished:
            mark_finished(session, deps, review_id=review_id, user_id=user)


def dm_recipients(fake: FakeSlack) -> list[str]:
    return [
        c.args["channel"]
        for c in fake.calls_to("chat.postMessage")
        if c.ok and c.args["channel"].startswith("U")
    ]


def test_reminders_go_three_days_and_one_day_before_only_to_those_not_finished(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    issue(deps, review_id, ["UA", "UB", "UC", "UD"], finished=["UA"])

    run_at(deps, fake_slack, utc(2026, 12, 4, 9, 0), rules=(RULE,))  # Friday, not yet due
    assert dm_recipients(fake_slack) == []

    run_at(deps, fake_slack, utc(2026, 12, 7, 9, 5), rules=(RULE,))  # Monday: 3 days before
    assert sorted(dm_recipients(fake_slack)) == ["UB", "UC", "UD"]
    reminder = next(
        c.args for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == "UB"
    )
    assert "1 colleague has already answered" in reminder["text"]
    assert "in 3 days" in reminder["text"] and "Thursday 10 December 2026" in reminder["text"]
    assert validate_blocks(reminder["blocks"], "message") == []
    [summary] = posts(fake_slack)
    assert "1 of 4 invited have finished" in summary["text"]
    for name in ("UB", "UC", "UD"):
        assert f"<@{name}>" not in str(summary["blocks"])

    with transaction(deps.sessions) as session:
        mark_finished(session, deps, review_id=review_id, user_id="UB")
    run_at(deps, fake_slack, utc(2026, 12, 7, 9, 10), rules=(RULE,))  # a later pass: no repeats
    assert len(dm_recipients(fake_slack)) == 3

    run_at(deps, fake_slack, utc(2026, 12, 9, 9, 0), rules=(RULE,))  # Wednesday: day before
    assert sorted(dm_recipients(fake_slack)) == ["UB", "UC", "UC", "UD", "UD"]
    assert "2 of 4 invited have finished" in posts(fake_slack)[-1]["text"]


def test_someone_who_finishes_before_the_send_gets_nothing(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    issue(deps, review_id, ["UA", "UB"], finished=[])
    # Planned by an earlier pass (e.g. /psif reminders), finished before 09:00.
    run_at(deps, fake_slack, utc(2026, 12, 7, 8, 0), rules=(RULE,))
    with transaction(deps.sessions) as session:
        mark_finished(session, deps, review_id=review_id, user_id="UA")
    run_at(deps, fake_slack, utc(2026, 12, 7, 9, 0), rules=(RULE,))
    assert dm_recipients(fake_slack) == ["UB"]


def test_nothing_is_sent_once_everyone_has_finished(deps: Deps, fake_slack: FakeSlack) -> None:
    review_id = add_review(deps)
    issue(deps, review_id, ["UA"], finished=["UA"])
    run_at(deps, fake_slack, utc(2026, 12, 7, 9, 0), rules=(RULE,))
    assert fake_slack.calls_to("chat.postMessage") == []
    assert nudges(deps) == []


def test_someone_invited_after_the_three_day_reminder_is_not_sent_it_late(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    issue(deps, review_id, ["UA"], finished=[])
    run_at(deps, fake_slack, utc(2026, 12, 7, 9, 0), rules=(RULE,))
    with transaction(deps.sessions) as session:
        add_participants(
            session=session,
            review_id=review_id,
            user_ids=["ULATE"],
            actor_id="UHOST",
            now=utc(2026, 12, 8, 11, 0),  # Tuesday, after Monday's 3-day reminders
        )
    run_at(deps, fake_slack, utc(2026, 12, 8, 11, 5), rules=(RULE,))
    assert dm_recipients(fake_slack) == ["UA"]
    run_at(deps, fake_slack, utc(2026, 12, 9, 9, 0), rules=(RULE,))  # the day before: both
    assert sorted(dm_recipients(fake_slack)) == ["UA", "UA", "ULATE"]


def test_when_both_reminders_fall_on_the_same_day_each_person_gets_one(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    issue(deps, review_id, ["UA", "UB"], finished=[], closes_on=date(2026, 12, 14))  # a Monday
    run_at(deps, fake_slack, utc(2026, 12, 11, 9, 0), rules=(RULE,))  # Friday: both fall here
    assert sorted(dm_recipients(fake_slack)) == ["UA", "UB"]
    assert len(posts(fake_slack)) == 1
    assert {(n.rule.rsplit(".", 1)[-1], n.status) for n in nudges(deps)} == {("day_before", "sent")}


def test_a_snoozed_stakeholder_gets_no_reminder_until_the_snooze_ends(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    issue(deps, review_id, ["UA", "UB"], finished=[])
    with transaction(deps.sessions) as session:
        set_snooze(session=session, user_id="UA", paused_through=date(2026, 12, 8), now=OPENED)
    run_at(deps, fake_slack, utc(2026, 12, 7, 9, 0), rules=(RULE,))
    assert dm_recipients(fake_slack) == ["UB"]
    run_at(deps, fake_slack, utc(2026, 12, 9, 9, 0), rules=(RULE,))
    assert sorted(dm_recipients(fake_slack)) == ["UA", "UB", "UB"]


def test_a_queued_reminder_still_goes_if_the_closing_date_moves_to_another_day_it_covers(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    issue(deps, review_id, ["UA"], finished=[], closes_on=date(2026, 12, 12))  # a Saturday
    # The pass dies after recording the summary.
    die_after_recording(deps, fake_slack, utc(2026, 12, 11, 9, 0), RULE)
    with transaction(deps.sessions) as session:
        round_ = get_checklist_round(session=session, review_id=review_id)
        assert round_ is not None
        round_.closes_on = date(2026, 12, 14)  # extended over the weekend: still Friday's
    run_at(deps, fake_slack, utc(2026, 12, 11, 9, 10), rules=(RULE,))
    [summary] = posts(fake_slack)
    assert "Monday 14 December" in str(summary["blocks"])


def closed_notes(fake: FakeSlack, channel: str = "CREVIEW") -> list[dict[str, Any]]:
    return [post for post in posts(fake, channel) if "closed" in post["text"]]


def test_the_channel_is_told_once_the_day_after_it_closes_with_the_results_button(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    issue(deps, review_id, ["UA", "UB"], finished=["UA"])
    run_at(deps, fake_slack, utc(2026, 12, 10, 9, 5), rules=(RULE,))  # the closing day
    assert closed_notes(fake_slack) == []

    run_at(deps, fake_slack, utc(2026, 12, 11, 9, 5), rules=(RULE,))  # Friday, after it
    [note] = closed_notes(fake_slack)
    assert note["text"] == "The self-assessment is closed: 1 of 2 invited have finished (50%)."
    shown = str(note["blocks"])
    assert "🔒 The self-assessment closed on 10 December 2026: 1 of 2" in shown
    assert "Post the results" in shown and "<@UA>" not in shown
    assert validate_blocks(note["blocks"], "message") == []

    run_at(deps, fake_slack, utc(2026, 12, 11, 11, 0), rules=(RULE,))
    run_at(deps, fake_slack, utc(2026, 12, 14, 9, 5), rules=(RULE,))
    assert len(closed_notes(fake_slack)) == 1  # once


def test_no_closing_note_by_date_when_a_lead_closed_it_early_or_results_are_out(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    early, released = add_review(deps), add_review(deps, channel="CREVIEW2")
    for review_id in (early, released):
        issue(deps, review_id, ["UA", "UB"], finished=["UA"])
    with transaction(deps.sessions) as session:
        early_round = get_checklist_round(session=session, review_id=early)
        released_round = get_checklist_round(session=session, review_id=released)
        assert early_round is not None and released_round is not None
        early_round.closed_at = utc(2026, 12, 8)  # it said so then
        released_round.results_released_at = utc(2026, 12, 10, 17)
    run_at(deps, fake_slack, utc(2026, 12, 11, 9, 5), rules=(RULE,))
    assert closed_notes(fake_slack) == [] and closed_notes(fake_slack, "CREVIEW2") == []
