"""Closing a vote at its set time, the tie-break round, and the nudge to those yet to vote."""

from __future__ import annotations

import json
import threading
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.reminders._votes import RULE as VOTE_RULE
from bot.slack import ids
from scheduler.runner import vote_close_pass
from storage.db import transaction
from storage.models.afis import Afi

from afi_helpers import (
    CHANNEL,
    HOST_LEAD,
    IS_LEAD,
    PEERS,
    afi_ids,
    responses_to,
    round_id,
    seed_voting_review,
    start_vote,
    wait_for_message,
)
from conftest import RunningBot, SettableClock
from helpers import wait_until_delivered
from nudge_helpers import run_at


def vote(
    slack: SlackDriver,
    fake: FakeSlack,
    bot: RunningBot,
    message: dict[str, Any],
    number: int,
    user: str,
) -> None:
    url = fake.new_response_url()
    slack.click_in_message(
        message,
        ids.AFI_VOTE_ADD,
        user=user,
        channel=CHANNEL,
        value=f"{round_id(bot)}:{afi_ids(bot)[number]}",
        response_url=url,
        ephemeral=False,
    )
    assert "Vote added" in responses_to(fake, url)[0]["text"]


def prioritised(bot: RunningBot) -> dict[int, int | None]:
    with transaction(bot.deps.sessions) as session:
        rows = session.execute(select(Afi.number, Afi.rank).where(Afi.prioritised.is_(True)))
        return dict(rows.all())


def test_a_closing_day_in_the_past_is_refused_in_the_form(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    slack.command("/afi", "vote", user=HOST_LEAD)
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    reply = slack.submit_view(view, {ids.AFI_VOTE_CLOSES: "2026-11-24"}, user=HOST_LEAD)
    assert json.loads(reply.body)["errors"][ids.AFI_VOTE_CLOSES].startswith("Choose a day")


def test_a_vote_with_a_closing_time_closes_itself_once_however_often_the_scheduler_runs(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, clock: SettableClock
) -> None:
    seed_voting_review(bot.deps, afis=3)
    (message,) = start_vote(
        slack, fake_slack, {ids.AFI_VOTE_CLOSES: "2026-11-27", ids.AFI_VOTE_TOP_N: "1"}
    )
    assert "closes automatically on <!date^" in json.dumps(message["blocks"])
    assert "|27 November 2026 at 17:00>" in json.dumps(message["blocks"])
    vote(slack, fake_slack, bot, message, 2, PEERS[0])
    vote(slack, fake_slack, bot, message, 3, PEERS[1])
    vote(slack, fake_slack, bot, message, 2, PEERS[1])
    assert vote_close_pass(bot.deps) == 0  # not yet
    clock.set(datetime(2026, 11, 27, 17, 0, tzinfo=UTC))
    closed: list[int] = []
    passes = [
        threading.Thread(target=lambda: closed.append(vote_close_pass(bot.deps))) for _ in "ab"
    ]
    for thread in passes:
        thread.start()
    for thread in passes:
        thread.join()
    assert sorted(closed) == [0, 1] and vote_close_pass(bot.deps) == 0
    wait_until_delivered(bot.deps)
    results = [c.args for c in fake_slack.calls_to("chat.postMessage") if c.ok][1:]
    assert len(results) == 1
    shown = str(results[0]["blocks"])
    assert "The vote closed at its set time. AFI 2 is prioritised: the most votes." in shown
    assert results[0]["text"] == "Voting closed. Prioritised: AFI 2."
    assert prioritised(bot) == {2: 1}
    wait_for_message(fake_slack, lambda m: "Voting is closed" in m["text"], "the frozen message")


def test_a_tie_across_the_cut_off_offers_a_tie_break_that_settles_it(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=6)
    (message,) = start_vote(slack, fake_slack)
    for number, voters in {
        1: PEERS[0:3],
        2: PEERS[3:5],
        3: PEERS[5:6],
        4: PEERS[6:7],
        5: PEERS[7:8],
    }.items():
        for voter in voters:
            vote(slack, fake_slack, bot, message, number, voter)
    slack.command("/afi", "close 3", user=HOST_LEAD)
    result = fake_slack.wait_for("chat.postMessage", 2)[-1].args
    shown = str(result["blocks"])
    assert result["text"] == (
        "Voting closed. Prioritised: AFIs 1 and 2; AFIs 3, 4 and 5 tie for the last place."
    )
    assert validate_blocks(result["blocks"], "message") == []
    assert (
        "AFIs 1 and 2 are prioritised; AFIs 3, 4 and 5 tie for the last place. A host lead or "
        "the Improvement Service can run a tie-break, or keep them all."
    ) in shown
    assert "1 other had no votes: AFI 6." in shown and "0 votes" not in shown
    first_round = round_id(bot)
    url = fake_slack.new_response_url()
    slack.click_in_message(
        result, ids.AFI_TIE_BREAK, user=PEERS[0], channel=CHANNEL, response_url=url, ephemeral=False
    )
    assert responses_to(fake_slack, url)[0]["text"].startswith("Only the review's")
    url = fake_slack.new_response_url()
    slack.click_in_message(
        result, ids.AFI_TIE_BREAK, user=IS_LEAD, channel=CHANNEL, response_url=url, ephemeral=False
    )
    assert "The tie-break is open" in responses_to(fake_slack, url)[0]["text"]
    tie_break = fake_slack.wait_for("chat.postMessage", 3)[-1].args
    assert tie_break["text"].startswith("Tie-break: the areas tied at the cut-off")
    rules = json.dumps(tie_break["blocks"])
    assert (
        "Only 1 place in the prioritised list is left" in rules
        and "*1 vote*, one per area" in rules
    )
    on_ballot = [
        block["block_id"]
        for block in tie_break["blocks"]
        if block.get("block_id", "").startswith("vote:")
    ]
    assert on_ballot == [f"vote:{afi_ids(bot)[n]}" for n in (3, 4, 5)]
    tie_message = fake_slack.messages_in(CHANNEL)[-1]
    vote(slack, fake_slack, bot, tie_message, 4, PEERS[0])
    vote(slack, fake_slack, bot, tie_message, 4, PEERS[1])
    vote(slack, fake_slack, bot, tie_message, 3, PEERS[2])
    slack.command("/afi", "close", user=HOST_LEAD)
    settled = fake_slack.wait_for("chat.postMessage", 4)[-1].args
    assert settled["text"] == (
        "Tie-break closed. AFI 4 goes forward; AFIs 3 and 5 are no longer prioritised. "
        "Prioritised now: AFIs 1, 2 and 4."
    )
    assert prioritised(bot) == {1: 1, 2: 2, 4: 3}
    url = fake_slack.new_response_url()
    slack.click_in_message(
        result, ids.AFI_TIE_BREAK, user=IS_LEAD, channel=CHANNEL, response_url=url, ephemeral=False
    )
    assert "no longer needed" in responses_to(fake_slack, url)[0]["text"]
    assert round_id(bot) == first_round + 1


def test_team_members_who_have_not_voted_get_one_nudge_the_day_before_it_closes(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack, {ids.AFI_VOTE_CLOSES: "2026-11-27"})
    for voter in PEERS[:39]:
        vote(slack, fake_slack, bot, message, 1, voter)
    wait_until_delivered(bot.deps)
    before = len(fake_slack.calls_to("chat.postMessage"))
    report = run_at(
        bot.deps, fake_slack, datetime(2026, 11, 26, 9, 0, tzinfo=UTC), rules=(VOTE_RULE,)
    )
    assert report.sent == 3
    nudges = [call.args for call in fake_slack.calls_to("chat.postMessage")[before:]]
    assert {args["channel"] for args in nudges} == {HOST_LEAD, IS_LEAD, PEERS[39]}
    text = nudges[0]["text"]
    assert "You haven't voted yet" in text and "39 people have so far" in text
    assert "It closes on 27 November 2026 at 17:00." in text
    assert [
        e["action_id"] for b in nudges[0]["blocks"] if b["type"] == "actions" for e in b["elements"]
    ] == [ids.AFI_MY_VOTES]
    again = run_at(
        bot.deps, fake_slack, datetime(2026, 11, 26, 9, 5, tzinfo=UTC), rules=(VOTE_RULE,)
    )
    assert again.sent == 0
