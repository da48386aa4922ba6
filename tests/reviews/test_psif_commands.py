"""`/psif status`, `help`, `stage` and the App Home, end to end."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.slack import ids
from storage.db import transaction
from storage.models.reviews import AuditEvent, Review

from action_helpers import wait_until
from checklist_helpers import invite
from conftest import RunningBot
from helpers import last_response_text, start_review_through_slack


def test_commands_in_a_channel_without_a_review_point_to_start(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack.command("/psif", "status")
    assert "/psif start" in last_response_text(fake_slack)


def test_help_lists_every_command_for_empty_and_unknown_words(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack.command("/psif", "")
    text = last_response_text(fake_slack)
    for usage in ("/psif start", "/psif status", "/psif stage", "/psif help"):
        assert usage in text
    slack.command("/psif", "frobnicate")
    assert "I don't know `/psif frobnicate`" in last_response_text(fake_slack, count=2)
    for response in fake_slack.responses:
        assert response.body["response_type"] == "ephemeral"
        assert validate_blocks(response.body["blocks"], "message") == []


def shown_lines(body: dict[str, Any]) -> list[str]:
    """The lines a person reads: every text in the blocks, split at line breaks."""
    texts: list[str] = []
    for block in body["blocks"]:
        for part in (block.get("text"), *block.get("elements", []), *block.get("fields", [])):
            if isinstance(part, dict) and part.get("type") in ("mrkdwn", "plain_text"):
                texts.append(part["text"])
    return [line for text in texts for line in text.split("\n")]


def test_help_fits_a_screen_and_says_more_about_one_command(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack.command("/psif", "help")
    body = fake_slack.wait_for_responses(count=1)[-1].body
    assert len(shown_lines(body)) <= 15
    assert "/psif help <command>" in str(body["blocks"]).replace("&lt;", "<").replace("&gt;", ">")
    slack.command("/psif", "help team")
    team = last_response_text(fake_slack, count=2)
    assert "/psif team [add @a as peer" in team and "leads add and remove people" in team
    slack.command("/afi", "help vote")
    assert "Dot voting" in last_response_text(fake_slack, count=3) or "/afi vote" in (
        last_response_text(fake_slack, count=3)
    )
    slack.command("/psif", "help wibble")
    assert "I don't know the command `wibble`" in last_response_text(fake_slack, count=4)
    for response in fake_slack.responses:
        assert validate_blocks(response.body["blocks"], "message") == []


def status_details(slack: SlackDriver, fake: FakeSlack, status: dict[str, Any]) -> str:
    """Press the status's button for the rest; what it answers."""
    before = len(fake.responses)
    slack.click_in_message(
        status, ids.STATUS_MORE, user="UA", channel="CREVIEW", response_url=fake.new_response_url()
    )
    return str(fake.wait_for_responses(count=before + 1)[-1].body)


def test_status_shows_stage_next_date_and_the_rest_behind_a_button(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    start_review_through_slack(slack, fake_slack)
    slack.command("/psif", "status")
    status = fake_slack.wait_for_responses(count=1)[-1].body
    text = last_response_text(fake_slack)
    assert "Stage 1 of 6: Getting ready" in text
    assert "Next: *Papers circulated* on Tuesday 16 February 2027" in text
    assert "<@UIS>" not in text  # the team is a button away
    rest = status_details(slack, fake_slack, status)
    assert "<@UIS>" in rest and "Angus" in rest and "*Timeline*" in rest
    assert validate_blocks(status["blocks"], "message") == []


def test_status_fits_a_screen_with_an_offer_gaps_and_the_self_assessment(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    start_review_through_slack(slack, fake_slack, peer_councils=["Angus"])
    invite(slack, fake_slack, "UA", "UB")
    slack.command("/psif", "status", user="UHOST")
    status = fake_slack.wait_for_responses(count=2)[-1].body
    shown = str(status["blocks"])
    assert "Ready for Stage 2 of 6" in shown and "Self-assessment" in shown
    assert "more (`/psif stage`)" in shown
    assert len(shown_lines(status)) <= 15


def test_stage_next_confirms_gaps_then_moves_on_and_posts_a_summary(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    start_review_through_slack(slack, fake_slack, peer_councils=["Angus"])
    slack.command("/psif", "stage", user="UHOST")
    assert "1 of 3 peer councils" in last_response_text(fake_slack)

    slack.command("/psif", "stage next", user="UHOST")
    confirmation = fake_slack.wait_for_responses(count=2)[-1]
    assert "Pre-work" in str(confirmation.body["blocks"])
    assert "1 of 3 peer councils" in str(confirmation.body["blocks"])

    slack.click_in_message(
        confirmation.body,
        "psif_stage_advance_confirm",
        user="UHOST",
        channel="CREVIEW",
        response_url=fake_slack.new_response_url(),
    )
    summary = fake_slack.wait_for("chat.postMessage", count=2)[-1]
    assert summary.args["channel"] == "CREVIEW"
    assert "Pre-work" in str(summary.args["blocks"])
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review.stage)).one() == "pre_work"
        actions = session.scalars(select(AuditEvent.action)).all()
        assert actions == ["review.opened", "stage.changed"]

    # A stale second click on the same confirmation changes nothing.
    slack.click_in_message(
        confirmation.body,
        "psif_stage_advance_confirm",
        user="UHOST",
        channel="CREVIEW",
        response_url=fake_slack.new_response_url(),
    )
    assert "already moved on" in last_response_text(fake_slack, count=4)
    assert len(fake_slack.calls_to("chat.postMessage")) == 2


def test_only_leads_can_move_the_stage(slack: SlackDriver, fake_slack: FakeSlack) -> None:
    start_review_through_slack(slack, fake_slack)
    slack.command("/psif", "stage next", user="UH2")
    text = last_response_text(fake_slack)
    assert "Only the review's host lead or Improvement Service lead" in text


def test_app_home_lists_the_users_reviews_and_ignores_redelivered_events(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="bot.slack.replay")
    start_review_through_slack(slack, fake_slack)
    reply = slack.open_home("UIS")
    assert reply.status == 200
    fake_slack.wait_for("views.publish")
    home = fake_slack.home_tabs["UIS"]
    assert "Fife" in str(home["blocks"])
    first = slack.event(
        {
            "type": "app_home_opened",
            "user": "UIS",
            "channel": "D1",
            "tab": "home",
            "event_ts": "1.0",
        },
        event_id="EvSAME",
    )
    fake_slack.wait_for("views.publish", count=2)
    again = slack.event(
        {
            "type": "app_home_opened",
            "user": "UIS",
            "channel": "D1",
            "tab": "home",
            "event_ts": "1.0",
        },
        event_id="EvSAME",
        retry_num=1,
    )
    assert first.status == again.status == 200
    # The redelivery was answered without reaching a listener: nothing more will publish.
    assert any("EvSAME" in message and "redelivery" in message for message in caplog.messages)
    assert len(fake_slack.calls_to("views.publish")) == 2


def test_healthz_answers_when_the_database_does(bot: RunningBot) -> None:
    import json
    import urllib.request

    with urllib.request.urlopen(bot.url + "/healthz", timeout=5) as response:
        assert response.status == 200
        assert json.loads(response.read())["database"] == "ok"


def test_unexpected_slack_failure_tells_the_user_with_a_reference(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    fake_slack.fail_next("views.open", error="fatal_error", times=3)
    slack.command("/psif", "start")
    text = last_response_text(fake_slack)
    assert "went wrong" in text and "reference" in text


def test_help_works_for_every_command_and_extra_spaces_are_fine(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    for count, command in enumerate(("/afi", "/action"), start=1):
        slack.command(command, "help")
        text = last_response_text(fake_slack, count=count)
        assert "I don't know" not in text and "/afi add" in text and "/action log" in text
    slack.command("/psif", "  status\t")
    assert "/psif start" in last_response_text(fake_slack, count=3)  # no review: pointer


def test_an_unknown_subcommand_suggests_the_likely_one_with_its_short_help(
    slack: SlackDriver, fake_slack: FakeSlack
) -> None:
    slack.command("/afi", "lsit")
    body = fake_slack.wait_for_responses(count=1)[-1].body
    assert body["text"] == "I don't know `/afi lsit`. Did you mean `/afi list`?"
    assert "/psif start" not in str(body["blocks"])
    slack.command("/afi", "wibble <!here>")
    body = fake_slack.wait_for_responses(count=2)[-1].body
    shown = f"{body['text']} {body['blocks']}"
    assert "I don't know `/afi wibble`" in shown and "/afi add" in shown
    assert "/psif start" not in shown and "/action log" not in shown
    assert len(body["text"]) < 120  # the notification stays short
    assert validate_blocks(body["blocks"], "message") == []


def test_a_stage_move_slack_is_slow_to_announce_is_saved_and_announced_when_it_recovers(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    start_review_through_slack(slack, fake_slack)
    slack.command("/psif", "stage next", user="UHOST")
    confirmation = fake_slack.wait_for_responses(count=1)[-1]
    fake_slack.fail_next("chat.postMessage", "internal_error", status=500, times=3)
    slack.click_in_message(
        confirmation.body,
        "psif_stage_advance_confirm",
        user="UHOST",
        channel="CREVIEW",
        response_url=fake_slack.new_response_url(),
    )
    assert "Done: the review is now in Pre-work" in last_response_text(fake_slack, count=2)
    summary = fake_slack.wait_for("chat.postMessage", count=5)[-1]
    assert summary.response["ok"] and "Pre-work" in str(summary.args["blocks"])


def test_a_lead_is_told_when_the_channel_refuses_the_stage_announcement(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    start_review_through_slack(slack, fake_slack)
    slack.command("/psif", "stage next", user="UHOST")
    confirmation = fake_slack.wait_for_responses(count=1)[-1]
    fake_slack.fail_next("chat.postMessage", "not_in_channel")
    slack.click_in_message(
        confirmation.body,
        "psif_stage_advance_confirm",
        user="UHOST",
        channel="CREVIEW",
        response_url=fake_slack.new_response_url(),
    )
    # The click's answer and the outbox's notice come by different lanes, in either order.
    notice = "The change is saved, but I couldn't announce it"
    wait_until(lambda: any(notice in str(r.body) for r in fake_slack.responses), "the notice")
    told = next(str(r.body) for r in fake_slack.responses if notice in str(r.body))
    assert "I'm not a member of <#CREVIEW>" in told
    with transaction(bot.deps.sessions) as session:
        assert session.scalars(select(Review.stage)).one() == "pre_work"
