"""Buttons, forms, shortcuts, menus and commands the bot doesn't know (from an older version
of a message, or never sent by it) are acknowledged with 200 and explained, never a 404
that Slack shows as an error."""

from __future__ import annotations

from typing import Any

from bot.demo.driver import TEAM, SlackDriver
from bot.demo.fake_slack import FakeSlack
from handlers.fallbacks import STALE_BUTTON, STALE_FORM, STALE_SHORTCUT

from conftest import RunningBot

OLD_MESSAGE = {
    "ts": "1700000000.000100",
    "text": "An older card",
    "blocks": [
        {
            "type": "actions",
            "block_id": "old",
            "elements": [
                {
                    "type": "button",
                    "action_id": "psif_button_of_an_older_version",
                    "text": {"type": "plain_text", "text": "Do it"},
                    "value": "7",
                }
            ],
        }
    ],
}


def test_a_button_the_bot_no_longer_knows_gets_an_ephemeral_explanation(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    response_url = fake_slack.new_response_url()
    reply = slack.click_in_message(
        OLD_MESSAGE,
        "psif_button_of_an_older_version",
        user="UHOST",
        channel="CREVIEW",
        response_url=response_url,
        ephemeral=False,
    )
    assert (reply.status, reply.body) == (200, b"")
    answer = fake_slack.wait_for_responses()[-1]
    assert answer.body["response_type"] == "ephemeral"
    assert answer.body["text"] == STALE_BUTTON
    # Nothing else happened: no Web API call at all.
    assert [call.method for call in fake_slack.calls] == []


def test_a_form_the_bot_no_longer_knows_stays_open_with_an_explanation(
    slack: SlackDriver,
) -> None:
    view = {
        "id": "VOLD",
        "type": "modal",
        "callback_id": "psif_form_of_an_older_version",
        "title": {"type": "plain_text", "text": "Old form"},
        "blocks": [
            {
                "type": "input",
                "block_id": "note",
                "label": {"type": "plain_text", "text": "Note"},
                "element": {"type": "plain_text_input", "action_id": "note"},
            }
        ],
    }
    reply = slack.submit_view(view, {"note": "Something I typed"}, user="UHOST")
    assert reply.status == 200
    assert reply.json() == {"response_action": "errors", "errors": {"note": STALE_FORM}}


def shortcut(callback_id: str) -> dict[str, Any]:
    return {
        "type": "shortcut",
        "callback_id": callback_id,
        "trigger_id": "T1",
        "user": {"id": "UHOST", "team_id": TEAM["id"]},
        "team": TEAM,
    }


def test_a_shortcut_the_bot_does_not_have_is_explained_by_direct_message(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    reply = slack.post_interaction(shortcut("psif_shortcut_of_an_older_version"))
    assert reply.status == 200
    message = fake_slack.wait_for("chat.postMessage")[-1]
    assert message.args["text"] == STALE_SHORTCUT


def test_a_menu_the_bot_does_not_know_offers_no_options(slack: SlackDriver) -> None:
    reply = slack.post_interaction(
        {
            "type": "block_suggestion",
            "action_id": "psif_menu_of_an_older_version",
            "block_id": "old",
            "value": "Fi",
            "user": {"id": "UHOST", "team_id": TEAM["id"]},
            "team": TEAM,
        }
    )
    assert reply.status == 200
    assert reply.json() == {"options": []}


def test_a_command_the_bot_does_not_have_is_answered(slack: SlackDriver) -> None:
    reply, _, _ = slack.command("/psif-old", "status")
    assert reply.status == 200
    assert "`/psif-old` isn't one of my commands" in reply.json()["text"]


def test_an_event_nothing_handles_is_acknowledged_so_slack_does_not_retry_it(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    """With one workspace, uninstalls are Slack's business alone."""
    assert slack.event({"type": "app_uninstalled"}).status == 200
    assert slack.event({"type": "tokens_revoked", "tokens": {"bot": ["U1"]}}).status == 200
    slack.open_home("UHOME")  # a later event is handled as usual
    fake_slack.wait_for("views.publish")
