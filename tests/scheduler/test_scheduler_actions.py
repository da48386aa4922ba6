"""Action reminders to owners, and the Monday overdue digest in the channel."""

from __future__ import annotations

from datetime import date

from bot.core.actions import ActionStatus
from bot.core.stages import Stage
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.deps import Deps
from bot.reminders._actions import RULE
from storage.db import transaction
from storage.models.improvement_actions import Action
from storage.repositories.improvement_actions import ActionFields, add_action, change_status

from nudge_helpers import OPENED, add_review, die_after_recording, posts, run_at, utc


def log(deps: Deps, review_id: int, owner: str, due: date, text: str = "Fix it") -> int:
    with transaction(deps.sessions) as session:
        action = add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(key_action=text, owner_id=owner, due=due),
            actor_id="UHOST",
            now=OPENED,
        )
        return action.id


def dms_to(fake: FakeSlack, user: str) -> list[dict[str, object]]:
    return [c.args for c in fake.calls_to("chat.postMessage") if c.ok and c.args["channel"] == user]


def test_owner_is_reminded_a_week_and_a_day_before_and_the_day_after(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    log(deps, review_id, "UOWN", date(2026, 12, 17), "Publish the road repair schedule")
    run_at(deps, fake_slack, utc(2026, 12, 10, 9, 0), rules=(RULE,))  # Thursday, 7 days before
    [week] = dms_to(fake_slack, "UOWN")
    assert "in 7 days" in str(week["text"]) or "in 7 days" in str(week["blocks"])
    assert validate_blocks(week["blocks"], "message") == []
    assert "action_done" in str(week["blocks"])  # can be marked done from the DM
    run_at(deps, fake_slack, utc(2026, 12, 16, 9, 0), rules=(RULE,))
    run_at(deps, fake_slack, utc(2026, 12, 18, 9, 0), rules=(RULE,))
    texts = [str(dm["text"]) for dm in dms_to(fake_slack, "UOWN")]
    assert len(texts) == 3
    assert "was due 17 December 2026" in texts[-1]


def test_no_reminder_once_the_action_is_done_or_re_dated(deps: Deps, fake_slack: FakeSlack) -> None:
    review_id = add_review(deps)
    done_id = log(deps, review_id, "UA", date(2026, 12, 17))
    moved_id = log(deps, review_id, "UB", date(2026, 12, 17))
    run_at(deps, fake_slack, utc(2026, 12, 10, 8, 0), rules=(RULE,))  # planned, not yet sent
    with transaction(deps.sessions) as session:
        done = session.get(Action, done_id)
        assert done is not None
        change_status(
            session=session,
            action=done,
            expected=ActionStatus.OPEN,
            target=ActionStatus.DONE,
            actor_id="UA",
            now=OPENED,
        )
        moved = session.get(Action, moved_id)
        assert moved is not None
        moved.due = date(2027, 1, 29)
    run_at(deps, fake_slack, utc(2026, 12, 10, 9, 0), rules=(RULE,))
    assert fake_slack.calls_to("chat.postMessage") == []


def test_monday_digest_lists_overdue_actions_in_the_channel(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    log(deps, review_id, "UA", date(2026, 12, 2), "Agree the new inspection regime <!here>")
    log(deps, review_id, "UB", date(2027, 2, 1), "Not due yet")
    run_at(deps, fake_slack, utc(2026, 12, 7, 9, 0), rules=(RULE,))  # Monday
    [digest] = posts(fake_slack)
    rendered = str(digest["blocks"])
    assert "Agree the new inspection regime &lt;!here&gt;" in rendered
    assert "Not due yet" not in rendered
    assert "<@UA>" in rendered and "5 days ago" in rendered
    assert validate_blocks(digest["blocks"], "message") == []


def test_no_digest_when_nothing_is_overdue(deps: Deps, fake_slack: FakeSlack) -> None:
    review_id = add_review(deps)
    log(deps, review_id, "UA", date(2027, 2, 1))
    run_at(deps, fake_slack, utc(2026, 12, 7, 9, 0), rules=(RULE,))
    assert posts(fake_slack) == []


def test_an_action_logged_after_its_week_ahead_moment_gets_no_catch_up_reminder(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    with transaction(deps.sessions) as session:
        add_action(
            session=session,
            review_id=review_id,
            fields=ActionFields(key_action="Fix it", owner_id="UOWN", due=date(2026, 12, 14)),
            actor_id="UHOST",
            now=utc(2026, 12, 10, 10, 0),  # Thursday; "a week before" was Monday
        )
    run_at(deps, fake_slack, utc(2026, 12, 10, 10, 5), rules=(RULE,))
    assert dms_to(fake_slack, "UOWN") == []
    run_at(deps, fake_slack, utc(2026, 12, 11, 9, 0), rules=(RULE,))  # Friday: day before
    assert len(dms_to(fake_slack, "UOWN")) == 1


def test_a_reminder_follows_the_action_to_its_new_owner(deps: Deps, fake_slack: FakeSlack) -> None:
    review_id = add_review(deps)
    action_id = log(deps, review_id, "UA", date(2026, 12, 17))
    # The pass dies after recording UA's reminder.
    die_after_recording(deps, fake_slack, utc(2026, 12, 10, 9, 0), RULE)
    with transaction(deps.sessions) as session:
        action = session.get(Action, action_id)
        assert action is not None
        action.owner_id = "UB"
    run_at(deps, fake_slack, utc(2026, 12, 10, 9, 10), rules=(RULE,))
    assert dms_to(fake_slack, "UA") == [] and len(dms_to(fake_slack, "UB")) == 1


def test_the_overdue_digest_moves_to_tuesday_after_a_bank_holiday_monday(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    log(deps, review_id, "UA", date(2027, 3, 1))
    run_at(deps, fake_slack, utc(2027, 5, 3, 8, 0), rules=(RULE,))  # early May bank holiday
    assert posts(fake_slack) == []
    run_at(deps, fake_slack, utc(2027, 5, 4, 8, 0), rules=(RULE,))  # Tuesday, 09:00 BST
    [digest] = posts(fake_slack)
    assert "overdue" in str(digest["text"]).lower()


def test_a_queued_reminder_still_goes_if_the_due_date_moves_to_another_day_it_covers(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps)
    action_id = log(deps, review_id, "UA", date(2026, 12, 12))  # a Saturday
    # Friday: the pass dies after recording the reminder.
    die_after_recording(deps, fake_slack, utc(2026, 12, 11, 9, 0), RULE)
    with transaction(deps.sessions) as session:
        action = session.get(Action, action_id)
        assert action is not None
        action.due = date(2026, 12, 14)  # Monday: the day-before reminder is still Friday's
    run_at(deps, fake_slack, utc(2026, 12, 11, 9, 10), rules=(RULE,))
    [reminder] = dms_to(fake_slack, "UA")
    assert "14 December" in str(reminder["text"]) + str(reminder["blocks"])


def test_owners_are_still_reminded_in_follow_up_after_final_reporting(
    deps: Deps, fake_slack: FakeSlack
) -> None:
    review_id = add_review(deps, stage=Stage.FOLLOW_UP, final_report=date(2026, 11, 30))
    log(deps, review_id, "UOWN", date(2026, 12, 17), "Publish the road repair schedule")
    run_at(deps, fake_slack, utc(2026, 12, 10, 9, 0), rules=(RULE,))
    assert len(dms_to(fake_slack, "UOWN")) == 1
