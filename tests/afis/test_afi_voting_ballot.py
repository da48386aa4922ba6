"""A voter's own ballot: My votes, one ballot changed in place, and the hidden tally."""

from __future__ import annotations

import json
from typing import Any

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.slack import ids

from afi_helpers import (
    CHANNEL,
    HOST_LEAD,
    PEERS,
    afi_ids,
    responses_to,
    round_id,
    seed_voting_review,
    start_vote,
    wait_for_message,
)
from conftest import RunningBot


def press_in_channel(
    slack: SlackDriver, fake: FakeSlack, bot: RunningBot, message: dict[str, Any], number: int
) -> dict[str, Any]:
    """PEERS[0] presses AFI `number`'s Vote on the channel message; the ballot they get."""
    url = fake.new_response_url()
    slack.click_in_message(
        message,
        ids.AFI_VOTE_ADD,
        user=PEERS[0],
        channel=CHANNEL,
        value=f"{round_id(bot)}:{afi_ids(bot)[number]}",
        response_url=url,
        ephemeral=False,
    )
    return responses_to(fake, url)[0]


def press_in_ballot(
    slack: SlackDriver, fake: FakeSlack, bot: RunningBot, ballot: dict[str, Any], number: int
) -> dict[str, Any]:
    url = fake.new_response_url()
    slack.click_in_message(
        ballot,
        ids.AFI_BALLOT_TOGGLE,
        user=PEERS[0],
        channel=CHANNEL,
        value=f"{round_id(bot)}:{afi_ids(bot)[number]}",
        response_url=url,
        ephemeral=True,
        action_ts=f"17000000{number:02d}.0",
    )
    return responses_to(fake, url)[0]


def marked(ballot: dict[str, Any]) -> dict[int, str]:
    """AFI number → the label of its button in the ballot."""
    found = {}
    for block in ballot["blocks"]:
        accessory = block.get("accessory")
        if accessory and accessory["action_id"] == ids.AFI_BALLOT_TOGGLE:
            number = int(block["text"]["text"].split(".*", 1)[0].strip("*"))
            found[number] = accessory["text"]["text"]
    return found


def test_a_press_on_the_channel_message_shows_my_ballot_and_presses_in_it_change_it_in_place(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=3)
    (message,) = start_vote(slack, fake_slack)
    ballot = press_in_channel(slack, fake_slack, bot, message, 2)
    assert ballot["response_type"] == "ephemeral" and not ballot.get("replace_original")
    assert validate_blocks(ballot["blocks"], "message") == []
    assert ballot["text"] == "Vote added to AFI 2. Your votes: AFI 2 · 2 votes left of 3."
    assert marked(ballot) == {2: "✓ Voted", 1: "Vote", 3: "Vote"}
    changed = press_in_ballot(slack, fake_slack, bot, ballot, 3)
    # The same ballot, replaced: no second private message.
    assert changed["replace_original"] is True
    assert "Your votes: AFI 2 and AFI 3 · 1 vote left of 3." in changed["text"]
    assert marked(changed) == {2: "✓ Voted", 3: "✓ Voted", 1: "Vote"}
    taken_back = press_in_ballot(slack, fake_slack, bot, changed, 2)
    assert taken_back["replace_original"] is True
    assert taken_back["text"].startswith("Vote taken off AFI 2.")
    assert marked(taken_back) == {3: "✓ Voted", 1: "Vote", 2: "Vote"}
    wait_for_message(fake_slack, lambda m: "1 vote cast" in m["text"], "the one vote left")


def test_my_votes_shows_mine_and_what_i_have_left_without_changing_anything(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=3)
    (message,) = start_vote(slack, fake_slack)
    url = fake_slack.new_response_url()
    slack.click_in_message(
        message,
        ids.AFI_MY_VOTES,
        user=PEERS[1],
        channel=CHANNEL,
        response_url=url,
        ephemeral=False,
    )
    (ballot,) = responses_to(fake_slack, url)
    assert ballot["text"] == "Your votes: none yet · 3 votes left of 3."
    assert "Only you can see this." in json.dumps(ballot["blocks"])
    press_in_channel(slack, fake_slack, bot, message, 1)
    url = fake_slack.new_response_url()
    slack.click_in_message(
        message, ids.AFI_MY_VOTES, user=PEERS[0], channel=CHANNEL, response_url=url, ephemeral=False
    )
    assert responses_to(fake_slack, url)[0]["text"] == "Your votes: AFI 1 · 2 votes left of 3."


def test_a_hidden_tally_shows_only_how_many_have_voted_until_the_vote_closes(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=3)
    (message,) = start_vote(slack, fake_slack, {ids.AFI_VOTE_HIDE: ["hide"]})
    assert "The tally is hidden until the vote closes" in json.dumps(message["blocks"])
    press_in_channel(slack, fake_slack, bot, message, 2)
    updated = wait_for_message(fake_slack, lambda m: "1 person has voted" in m["text"], "a voter")
    assert "vote cast" not in updated["text"]
    tallies = [
        b["text"]["text"] for b in updated["blocks"] if b.get("block_id", "").startswith("tally:")
    ]
    assert len(tallies) == 3 and not [text for text in tallies if "vote" in text]
    _, _, url = slack.command("/afi", "list", user=PEERS[3])
    listing = json.dumps(responses_to(fake_slack, url)[0]["blocks"])
    assert "Votes are hidden until the vote closes." in listing and "1 vote" not in listing
    slack.command("/afi", "close 1", user=HOST_LEAD)
    result = fake_slack.wait_for("chat.postMessage", 2)[-1].args
    assert "*1st* · 1 vote · *2.*" in str(result["blocks"])
    wait_for_message(fake_slack, lambda m: "1 vote cast" in m["text"], "the tally, once closed")


def test_remove_on_a_voting_message_posted_before_the_one_button_ballot_still_works(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack)
    press_in_channel(slack, fake_slack, bot, message, 1)
    value = f"{round_id(bot)}:{afi_ids(bot)[1]}"
    remove: dict[str, Any] = {"type": "button", "action_id": ids.AFI_VOTE_REMOVE, "value": value}
    remove["text"] = {"type": "plain_text", "text": "Remove"}
    old = {**message, "blocks": [*message["blocks"], {"type": "actions", "elements": [remove]}]}
    url = fake_slack.new_response_url()
    slack.click_in_message(
        old, ids.AFI_VOTE_REMOVE, user=PEERS[0], channel=CHANNEL, response_url=url, ephemeral=False
    )
    answer = responses_to(fake_slack, url)[0]["text"]
    assert answer == "Vote taken off AFI 1. Your votes: none yet · 3 votes left of 3."
