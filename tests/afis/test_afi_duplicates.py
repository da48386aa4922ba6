"""`/afi add` asks before adding an area that repeats one already listed (issue 16, point 11)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.slack import ids
from storage.db import transaction
from storage.models.afis import Afi

from afi_helpers import CHANNEL, PEERS, responses_to, seed_voting_review
from conftest import RunningBot

EXISTING = "Staff don't get regular feedback on their performance"


def stored_texts(bot: RunningBot) -> list[str]:
    with transaction(bot.deps.sessions) as session:
        return list(session.scalars(select(Afi.text).order_by(Afi.number)))


def ask(slack: SlackDriver, fake: FakeSlack, words: str) -> dict[str, Any]:
    _, _, url = slack.command("/afi", f"add {words}", user=PEERS[1])
    return responses_to(fake, url)[0]


def test_typing_an_existing_area_again_asks_and_add_anyway_adds_it_once(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1, text=EXISTING)
    question = ask(slack, fake_slack, "staff don’t get regular feedback on their performance!")
    assert question["text"] == "This looks like AFI 1 — add anyway?"
    assert validate_blocks(question["blocks"], "message") == []
    shown = json.dumps(question["blocks"], ensure_ascii=False)
    assert f"*AFI 1*: “{EXISTING}”" in shown and "Add anyway" in shown and "Cancel" in shown
    assert stored_texts(bot) == [EXISTING]  # nothing added while asking

    message = {**question, "ts": "1700000001.000200"}
    url = fake_slack.new_response_url()
    slack.click_in_message(
        message, ids.AFI_ADD_ANYWAY, user=PEERS[1], channel=CHANNEL, response_url=url
    )
    answer = responses_to(fake_slack, url)[0]
    assert answer["replace_original"] is True
    assert answer["text"].startswith("Added as AFI 2: staff don’t get regular feedback")
    assert stored_texts(bot)[1] == "staff don’t get regular feedback on their performance!"

    again = fake_slack.new_response_url()  # a second press of the same button
    slack.click_in_message(
        message, ids.AFI_ADD_ANYWAY, user=PEERS[1], channel=CHANNEL, response_url=again
    )
    assert "added already" in responses_to(fake_slack, again)[0]["text"]
    assert len(stored_texts(bot)) == 2


def test_a_near_repeat_is_asked_about_and_cancel_adds_nothing(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1, text=EXISTING)
    question = ask(slack, fake_slack, "Staff don't get regular feedback on performance")
    assert question["text"] == "This looks like AFI 1 — add anyway?"
    url = fake_slack.new_response_url()
    slack.click_in_message(
        {**question, "ts": "1700000001.000300"},
        ids.AFI_ADD_CANCEL,
        user=PEERS[1],
        channel=CHANNEL,
        response_url=url,
    )
    assert responses_to(fake_slack, url)[0]["text"] == "OK, nothing was added."
    assert stored_texts(bot) == [EXISTING]


def test_the_same_area_in_other_words_is_asked_about_before_it_is_added(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1, text="Staff do not know the service priorities")
    question = ask(slack, fake_slack, "Staff aren't told the service's priorities")
    assert question["text"] == "This looks like AFI 1 — add anyway?"
    assert stored_texts(bot) == ["Staff do not know the service priorities"]


def test_a_different_area_is_added_without_asking(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1, text=EXISTING)
    answer = ask(slack, fake_slack, "Staff don't get regular training on new equipment")
    assert answer["text"].startswith("Added as AFI 2")
    assert len(stored_texts(bot)) == 2


def test_the_add_form_warns_inline_once_and_the_same_text_again_adds_it(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1, text=EXISTING)
    slack.command("/afi", "add", user=PEERS[1])
    view = dict(fake_slack.wait_for("views.open")[-1].response["view"])
    inputs = {ids.AFI_TEXT: "Staff don't get regular feedback on their performance."}
    first = slack.submit_view(view, inputs, user=PEERS[1]).json()
    assert first["response_action"] == "errors"
    assert first["errors"][ids.AFI_TEXT] == (
        f"This looks like AFI 1: “{EXISTING}”. "
        "Press Add again to add it anyway, or change the text."
    )
    assert stored_texts(bot) == [EXISTING]

    second = slack.submit_view(view, inputs, user=PEERS[1])
    assert second.status == 200 and second.body in (b"", b"{}")
    assert len(stored_texts(bot)) == 2
    assert "Added as AFI 2" in fake_slack.wait_for_responses(1)[-1].body["text"]
