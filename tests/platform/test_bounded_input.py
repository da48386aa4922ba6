"""Every field and number is bounded on the server, and forged or stale values get a
clear answer: never an exception, a 404 or a 500, and nothing stored."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from bot.slack import ids
from bot.slack.payloads import OUT_OF_DATE
from storage.db import transaction
from storage.models.afis import Afi
from storage.models.improvement_actions import Action

from action_helpers import action_form, open_log_modal
from afi_helpers import responses_to, seed_voting_review
from conftest import RunningBot
from fake_slack import FakeSlack
from slack_driver import SlackDriver, view_state


def count(bot: RunningBot, model: type[Any]) -> int:
    with transaction(bot.deps.sessions) as session:
        return session.scalar(select(func.count()).select_from(model)) or 0


def test_an_action_number_too_big_for_any_review_gets_a_clear_answer(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    for text in ("done 99999999999999999999999", "edit 99999999999999999999999", "done ²"):
        _, _, url = slack.command("/action", text)
        answer = responses_to(fake_slack, url)[0]["text"]
        assert "Say which action" in answer and "went wrong" not in answer


def test_a_forged_afi_section_is_refused_and_nothing_is_stored(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    slack.command("/afi", "add")
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    values = view_state(view, {ids.AFI_TEXT: "Staff don't get regular feedback"})
    values[ids.AFI_SECTION] = {
        ids.AFI_SECTION: {"type": "static_select", "selected_option": {"value": "999"}}
    }
    reply = slack.post_interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0001"},
            "user": {"id": "UHOST", "team_id": "T0001"},
            "view": {**view, "state": {"values": values}},
        }
    )
    assert reply.status == 200
    assert OUT_OF_DATE in str(reply.json()["errors"])
    assert count(bot, Afi) == 0


def test_action_details_over_their_limit_are_refused_inline(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    view = open_log_modal(slack, fake_slack)
    reply = slack.submit_view(
        view,
        action_form(
            action_risks="r" * 100_000, action_measure="m" * 100_000, action_outcome="o" * 100_000
        ),
        user="UHOST",
    )
    errors = reply.json()["errors"]
    assert set(errors) == {ids.ACTION_RISKS, ids.ACTION_MEASURE, ids.ACTION_OUTCOME}
    assert "1500 characters" in errors[ids.ACTION_RISKS]
    assert count(bot, Action) == 0


def test_garbage_button_values_get_a_clear_answer_and_are_acknowledged(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps)
    clicks: list[tuple[str, dict[str, Any]]] = [
        (ids.ACTION_DONE, {"value": "x"}),
        (ids.ACTION_START, {"value": "99999999999999999999"}),
        (ids.ACTION_MORE, {"selected_option": {"value": "delete:1"}}),
        (ids.AFI_MANAGE, {"selected_option": {"value": "edit:abc"}}),
        (ids.AFI_LIST_PAGE, {"value": "-3"}),
        (ids.AFI_SHOW, {"value": "abc"}),
        (ids.AFI_VOTE_ADD, {"value": "1"}),
        (ids.STAGE_ADVANCE_CONFIRM, {"value": "1:getting_ready:nowhere"}),
        (ids.CHECKLIST_START, {"value": ""}),
    ]
    for number, (action_id, fields) in enumerate(clicks, start=1):
        url = fake_slack.new_response_url()
        reply = slack.post_interaction(
            {
                "type": "block_actions",
                "user": {"id": "UHOST", "team_id": "T0001"},
                "team": {"id": "T0001"},
                "trigger_id": fake_slack.issue_trigger_id(),
                "response_url": url,
                "container": {"type": "message", "channel_id": "CREVIEW"},
                "channel": {"id": "CREVIEW"},
                "actions": [{"action_id": action_id, "block_id": "b", "type": "button", **fields}],
            }
        )
        assert reply.status == 200, action_id
        assert "out of date" in responses_to(fake_slack, url)[0]["text"], action_id
        assert len(fake_slack.responses) == number


def test_a_failing_submission_of_a_modal_without_inputs_replaces_it_with_a_notice(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    view = {
        "id": "V1",
        "type": "modal",
        "callback_id": ids.AFI_WITHDRAW_MODAL,
        "private_metadata": '{"channel_id": "CREVIEW", "afi_id": "not a number"}',
        "blocks": [{"type": "section", "text": {"type": "mrkdwn", "text": "Withdraw?"}}],
    }
    reply = slack.post_interaction(
        {
            "type": "view_submission",
            "team": {"id": "T0001"},
            "user": {"id": "UHOST", "team_id": "T0001"},
            "view": {**view, "state": {"values": {}}},
        }
    )
    assert reply.status == 200
    answer = reply.json()
    assert answer["response_action"] == "update"
    assert OUT_OF_DATE in str(answer["view"]["blocks"])
    assert count(bot, Afi) == 2
