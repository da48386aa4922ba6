"""A quiet channel: one morning post per channel, no empty weekly updates, no mass pings and
no channel mention for someone told the same thing directly."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.deps import Deps
from bot.review_access import get_review
from storage.db import transaction
from storage.repositories.improvement_actions import ActionFields, add_action
from storage.repositories.reviews import record_audit

from checklist_helpers import CHANNEL, dm_to, invite, seed_checklist_review
from conftest import RunningBot
from nudge_helpers import OPENED, add_review, nudges, posts, run_at, utc

MONDAY = utc(2026, 12, 7, 9, 5)  # Monday 7 December 2026, 09:05 in London


def headers(message: dict[str, Any]) -> list[str]:
    return [block["text"]["text"] for block in message["blocks"] if block["type"] == "header"]


def something_happened_last_week(deps: Deps, review_id: int) -> None:
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        record_audit(
            session=session,
            review=review,
            actor_id="UHOST",
            action="afi.added",
            details={},
            now=utc(2026, 12, 2, 11),
        )


def overdue_since_friday(deps: Deps, review_id: int, owner: str) -> None:
    with transaction(deps.sessions) as session:
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(
                key_action="Publish the road repair schedule", owner_id=owner, due=date(2026, 12, 4)
            ),
            actor_id="UHOST",
            now=OPENED,
        )


def test_a_meeting_reminder_overdue_actions_and_the_weekly_update_arrive_as_one_post(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps, pre_meeting=date(2026, 12, 14))  # a week on Monday
    something_happened_last_week(deps, review_id)
    overdue_since_friday(deps, review_id, "UOWN")
    report = run_at(deps, fake_slack, MONDAY)
    [post] = posts(fake_slack)
    assert headers(post) == [
        "🗓️ Today in the Fife review",
        "⏰ Team pre-meeting",
        "Overdue actions – Fife",
        "📋 Weekly update: Fife",
    ]
    assert post["text"].startswith("3 updates for the Fife review:")
    assert validate_blocks(post["blocks"], "message") == []
    # The owner hears about the action once, directly; the channel doesn't ping them again.
    assert len(posts(fake_slack, "UOWN")) == 1
    shown = post["text"] + json.dumps(post["blocks"])
    assert "<@UOWN>" not in shown and "owner reminded directly" in shown
    assert "<!channel>" not in shown and "<!here>" not in shown
    channel_nudges = nudges(deps, recipient="channel", day=MONDAY.date())
    assert {n.rule for n in channel_nudges} == {
        "timeline.pre_meeting.week_before",
        "actions.overdue_digest",
        "digest.weekly",
    }
    assert {(n.status, n.ts) for n in channel_nudges} == {("sent", post_ts(fake_slack))}
    assert (report.sent, report.posts) == (4, 2)
    run_at(deps, fake_slack, MONDAY.replace(hour=11))  # later passes that day add nothing
    assert len(posts(fake_slack)) == 1


def post_ts(fake: FakeSlack) -> str:
    [call] = [
        c for c in fake.calls_to("chat.postMessage") if c.ok and c.args["channel"] == "CREVIEW"
    ]
    return str(call.response["ts"])


def test_an_overdue_action_owner_not_reminded_today_is_still_named_in_the_channel(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    with transaction(deps.sessions) as session:
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(key_action="Fix it", owner_id="UOLD", due=date(2026, 11, 20)),
            actor_id="UHOST",
            now=OPENED,
        )
    run_at(deps, fake_slack, MONDAY)
    [post] = posts(fake_slack)
    assert headers(post) == ["Overdue actions – Fife"]  # one topic: posted as it is
    assert "<@UOLD>" in json.dumps(post["blocks"])
    assert posts(fake_slack, "UOLD") == []


def test_a_week_with_nothing_done_gets_no_weekly_update(deps: Deps, fake_slack: FakeSlack) -> None:
    add_review(deps, pre_meeting=date(2026, 12, 14))
    run_at(deps, fake_slack, MONDAY)
    [post] = posts(fake_slack)
    assert headers(post) == ["⏰ Team pre-meeting"]
    assert "Weekly update" not in post["text"] + json.dumps(post["blocks"])
    [digest] = nudges(deps, rule="digest.weekly", day=MONDAY.date())
    assert (digest.status, digest.error) == ("skipped", "no_longer_applies")


def test_the_invitation_post_counts_invitees_without_pinging_them_again(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, "UA", "UB")
    for user in ("UA", "UB"):
        assert "self-assessment" in json.dumps(dm_to(fake_slack, user)["blocks"])
    fake_slack.wait_for("chat.postMessage", 3)
    [note] = [c for c in fake_slack.calls_to("chat.postMessage") if c.args["channel"] == CHANNEL]
    shown = note.args["text"] + json.dumps(note.args["blocks"])
    assert "<@UA>" not in shown and "<@UB>" not in shown
    assert "invited 2 people" in shown and "each has a direct message" in shown
    assert "<@UHOST>" in shown  # who invited them is named
