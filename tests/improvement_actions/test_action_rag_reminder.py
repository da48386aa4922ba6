"""An owner's first reminder asks for the action's RAG status, with a button for each, until
one is given; a press sets it as the progress form does, and the reminder then shows it."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from bot.core.actions import ActionItem, ActionStatus, RagStatus
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.improvement_actions.views import build_action_due_reminder
from bot.reminders._actions import RULE
from bot.slack import ids

from action_helpers import CHANNEL, card_of, log_action, seed_review_with_afis, wait_until
from afi_helpers import responses_to
from conftest import RunningBot
from nudge_helpers import run_at

WEEK_BEFORE_DUE = datetime(2027, 1, 8, 9, 0, tzinfo=UTC)  # the action is due 15 January 2027


def reminder(rag: RagStatus | None) -> list[dict[str, Any]]:
    item = ActionItem(
        id=4,
        review_id=1,
        number=2,
        afi=None,
        key_action="Publish the repair schedule",
        owner_id="UOWNER",
        due=date(2027, 1, 15),
        status=ActionStatus.OPEN,
        rag=rag,
    )
    message = build_action_due_reminder(
        item, host_council="Fife", channel_id="C1", today=date(2027, 1, 8), overdue=False
    )
    assert validate_blocks(message.blocks, "message") == []
    return message.blocks


def rag_buttons(blocks: list[dict[str, Any]]) -> list[str]:
    return [
        element["value"]
        for block in blocks
        if block["type"] == "actions"
        for element in block["elements"]
        if element.get("action_id") == ids.ACTION_SET_RAG
    ]


def test_a_reminder_asks_for_a_rag_status_only_while_there_is_none() -> None:
    asked = reminder(None)
    assert rag_buttons(asked) == ["green:4", "amber:4", "red:4"]
    assert "How is it going?" in str(asked) and "on track" in str(asked)
    told = reminder(RagStatus.AMBER)
    assert rag_buttons(told) == [] and "How is it going?" not in str(told)
    assert "RAG status: 🟠 Amber." in str(told)


def test_the_owner_sets_the_rag_status_from_their_first_reminder(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    run_at(bot.deps, fake_slack, WEEK_BEFORE_DUE, rules=(RULE,))
    (dm,) = [
        call.args
        for call in fake_slack.calls_to("chat.postMessage")
        if call.ok and call.args["channel"] == "UOWNER" and "is due" in call.args["text"]
    ]
    (amber,) = [value for value in rag_buttons(dm["blocks"]) if value.startswith("amber:")]
    url = fake_slack.new_response_url()
    slack.click_in_message(
        dm, ids.ACTION_SET_RAG, user="UOWNER", channel="UOWNER", response_url=url, value=amber
    )
    answered = responses_to(fake_slack, url)[0]
    # The reminder pressed in now shows the RAG status instead of asking for it.
    assert answered["replace_original"] is True
    assert answered["text"] == dm["text"] and rag_buttons(answered["blocks"]) == []
    assert "RAG status: 🟠 Amber." in str(answered["blocks"])
    wait_until(lambda: card_of(fake_slack, 1)["text"].endswith("open, amber"), "the card")
    again = fake_slack.new_response_url()  # the same button once more changes nothing
    slack.click_in_message(
        dm, ids.ACTION_SET_RAG, user="UOWNER", channel="UOWNER", response_url=again, value=amber
    )
    assert "RAG status: 🟠 Amber." in str(responses_to(fake_slack, again)[0]["blocks"])


def test_only_someone_who_may_change_the_action_can_press_its_rag_buttons(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    run_at(bot.deps, fake_slack, WEEK_BEFORE_DUE, rules=(RULE,))
    (dm,) = [
        call.args
        for call in fake_slack.calls_to("chat.postMessage")
        if call.ok and call.args["channel"] == "UOWNER" and "is due" in call.args["text"]
    ]
    url = fake_slack.new_response_url()
    value = rag_buttons(dm["blocks"])[2]
    slack.click_in_message(
        dm, ids.ACTION_SET_RAG, user="UPEER", channel="UOWNER", response_url=url, value=value
    )
    assert "Only the action's owner" in responses_to(fake_slack, url)[0]["text"]
    assert not card_of(fake_slack, 1)["text"].endswith("red")


def test_a_rag_button_on_a_finished_action_says_it_no_longer_matters(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_review_with_afis(bot.deps.sessions)
    log_action(slack, fake_slack)
    run_at(bot.deps, fake_slack, WEEK_BEFORE_DUE, rules=(RULE,))
    (dm,) = [
        call.args
        for call in fake_slack.calls_to("chat.postMessage")
        if call.ok and call.args["channel"] == "UOWNER" and "is due" in call.args["text"]
    ]
    _, _, done = slack.command("/action", "done 1", user="UOWNER", channel=CHANNEL)
    responses_to(fake_slack, done)
    url = fake_slack.new_response_url()
    value = rag_buttons(dm["blocks"])[0]
    slack.click_in_message(
        dm, ids.ACTION_SET_RAG, user="UOWNER", channel="UOWNER", response_url=url, value=value
    )
    assert responses_to(fake_slack, url)[0]["text"] == (
        "Action 1 is done already, so its RAG status no longer matters."
    )
