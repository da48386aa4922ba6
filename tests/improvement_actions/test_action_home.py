"""The App Home tab with reviews and actions, end to end."""

from __future__ import annotations

import copy
from datetime import date

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.slack import ids
from storage.db import transaction
from storage.repositories.improvement_actions import ActionFields, add_action

from action_helpers import (
    NOW,
    card_of,
    control_value,
    log_action,
    seed_review_with_afis,
    wait_until,
)
from conftest import RunningBot, SettableClock
from helpers import wait_until_delivered


def home_text(fake: FakeSlack, user: str) -> str:
    view = fake.home_tabs.get(user)
    if view is None:
        return ""
    assert validate_view({k: view[k] for k in ("type", "blocks")}, "home") == []
    return str(view["blocks"])


def test_home_shows_the_users_reviews_and_actions_overdue_first(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(
        slack, fake_slack, action_key="Later step", action_owner="UHOST", action_due="2027-03-01"
    )
    log_action(
        slack, fake_slack, action_key="Soon step", action_owner="UHOST", action_due="2026-12-01"
    )
    log_action(slack, fake_slack, action_key="Someone else's", action_owner="UIS")
    clock.advance(days=10)
    slack.open_home("UHOST")
    wait_until(lambda: "1 overdue" in home_text(fake_slack, "UHOST"), "the refreshed home")
    shown = home_text(fake_slack, "UHOST")
    assert "Fife: Roads maintenance" in shown and "Your role: Host lead" in shown
    assert "Your actions" in shown and "1 overdue" in shown
    assert shown.index("Soon step") < shown.index("Later step")
    assert "Someone else's" not in shown
    assert ids.ACTION_DONE in shown and ids.ACTION_EDIT in shown


def test_an_owner_outside_the_team_sees_their_action_and_its_review(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack, action_key="Talk to finance")
    wait_until(lambda: "UOWNER" in fake_slack.home_tabs, "the owner's Home tab")
    shown = home_text(fake_slack, "UOWNER")
    assert "Talk to finance" in shown and "Fife" in shown


def test_marking_done_from_the_home_tab_updates_the_card_and_the_home(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack, action_key="Talk to finance")
    slack.open_home("UOWNER")

    def publishes_to_owner() -> int:
        calls = fake_slack.calls_to("views.publish")
        return sum(1 for call in calls if call.args["user_id"] == "UOWNER")

    # One refresh after the action was logged, one for opening the tab.
    wait_until(lambda: publishes_to_owner() == 2, "the owner's Home tab")
    value = next(
        element["value"]
        for block in card["blocks"]
        for element in block.get("elements", [])
        if element.get("action_id") == ids.ACTION_DONE
    )
    reply = slack.click_in_home(ids.ACTION_DONE, user="UOWNER", value=value)
    assert reply.status == 200
    fake_slack.wait_for("chat.update")
    assert "Done" in str(card_of(fake_slack, 1)["blocks"])
    wait_until(lambda: "1 done or dropped" in home_text(fake_slack, "UOWNER"), "refreshed home")
    assert ids.ACTION_DONE not in home_text(fake_slack, "UOWNER")


def test_edit_from_the_home_tab_opens_the_edit_modal(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack, action_key="Talk to finance", action_owner="UHOST")
    slack.open_home("UHOST")
    wait_until(lambda: "Talk to finance" in home_text(fake_slack, "UHOST"), "the home")
    slack.click_in_home(ids.ACTION_EDIT, user="UHOST")
    modal = fake_slack.wait_for("views.open", count=2)[-1]
    assert modal.ok and modal.response["view"]["title"]["text"] == "Edit action 1"
    assert '"action_id":1' in modal.response["view"]["private_metadata"]


def test_a_member_of_many_reviews_still_sees_their_actions_and_is_told_of_the_rest(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    reviews = [
        seed_review_with_afis(bot.deps.sessions, channel=f"CR{n:02}", with_afis=False)
        for n in range(34)
    ]
    with transaction(bot.deps.sessions) as session:
        for number, seeded in enumerate(reviews[:3], start=1):
            add_action(
                session=session,
                review_id=seeded.review_id,
                fields=ActionFields(
                    key_action=f"Step {number}", owner_id="UIS", due=date(2027, 1, number)
                ),
                actor_id="UHOST",
                now=NOW,
            )
    slack.open_home("UIS")
    wait_until(lambda: "UIS" in fake_slack.home_tabs, "the Home tab")
    shown = home_text(fake_slack, "UIS")
    assert "Your actions" in shown
    assert all(f"Step {number}" in shown for number in (1, 2, 3))
    assert "more reviews" in shown and "<#CR00>" in shown


def test_home_shows_the_latest_state_when_an_earlier_publish_is_rate_limited(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack, action_key="Talk to finance")

    def publishes_to_owner() -> int:
        calls = fake_slack.calls_to("views.publish")
        return sum(1 for call in calls if call.args["user_id"] == "UOWNER")

    wait_until(lambda: publishes_to_owner() == 1, "the owner's Home tab")
    value = control_value(card, ids.ACTION_START)
    fake_slack.fail_next("views.publish", "ratelimited", retry_after=1)
    slack.click_in_message(card, ids.ACTION_START, user="UOWNER", channel="CREVIEW", value=value)
    wait_until(lambda: publishes_to_owner() == 2, "the refused publish")
    slack.click_in_message(card, ids.ACTION_DONE, user="UHOST", channel="CREVIEW", value=value)
    wait_until_delivered(bot.deps)
    assert publishes_to_owner() >= 3  # the rate-limited one was tried again
    assert "1 done or dropped" in home_text(fake_slack, "UOWNER")


def test_a_click_on_an_out_of_date_home_explains_and_redraws_the_home(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack, action_key="Talk to finance")
    wait_until(lambda: "UOWNER" in fake_slack.home_tabs, "the owner's Home tab")
    out_of_date = copy.deepcopy(fake_slack.home_tabs["UOWNER"])
    value = control_value(card, ids.ACTION_DONE)
    published = len(fake_slack.calls_to("views.publish"))
    # Slack fails both Home refreshes (the host's and the owner's), each tried twice.
    fake_slack.fail_next("views.publish", "internal_error", status=500, times=4)
    slack.click_in_message(card, ids.ACTION_DONE, user="UHOST", channel="CREVIEW", value=value)
    fake_slack.wait_for("views.publish", count=published + 4)
    assert fake_slack.home_tabs["UOWNER"] == out_of_date
    slack.click_in_home(ids.ACTION_START, user="UOWNER", value=value)
    wait_until(
        lambda: any(
            call.args["channel"] == "UOWNER" and "reopen it first" in call.args["text"]
            for call in fake_slack.calls_to("chat.postMessage")
        ),
        "the explanation by DM",
    )
    wait_until(lambda: "1 done or dropped" in home_text(fake_slack, "UOWNER"), "the redrawn home")


def test_dropping_from_the_home_tab_overflow_asks_why_and_updates_card_and_home(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    card = log_action(slack, fake_slack, action_key="Talk to finance")
    wait_until(lambda: "UOWNER" in fake_slack.home_tabs, "the owner's Home tab")
    value = control_value(card, ids.ACTION_DONE)
    slack.click_in_home(ids.ACTION_MORE, user="UOWNER", value=f"{ids.ACTION_MORE_DROP}:{value}")
    modal = fake_slack.wait_for("views.open", count=2)[-1]
    assert modal.ok and modal.response["view"]["callback_id"] == ids.ACTION_DROP_MODAL
    reply = slack.submit_view(
        modal.response["view"], {ids.ACTION_DROP_REASON: "No budget this year"}, user="UOWNER"
    )
    assert reply.body in (b"", b"{}")
    fake_slack.wait_for("chat.update")
    assert "No budget this year" in str(card_of(fake_slack, 1)["blocks"])
    wait_until(lambda: "1 done or dropped" in home_text(fake_slack, "UOWNER"), "refreshed home")
