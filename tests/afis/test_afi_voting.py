"""Dot voting end to end: opening, clicking, the coalesced live tally, pages, closing."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from sqlalchemy import func, select

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_blocks
from bot.slack import ids
from storage.db import transaction
from storage.models.afis import Afi, AfiVote, AfiVoteRound
from storage.models.reviews import AuditEvent

from afi_helpers import (
    CHANNEL,
    HOST_LEAD,
    PEERS,
    SLACK_BLOCKS_TEXT_LIMIT,
    afi_ids,
    responses_to,
    round_id,
    seed_voting_review,
    start_vote,
    text_length,
    wait_for_message,
)
from conftest import RunningBot
from helpers import wait_until_delivered


def click_vote(
    slack: SlackDriver,
    fake: FakeSlack,
    bot: RunningBot,
    message: dict[str, Any],
    number: int,
    user: str,
    *,
    action_ts: str | None = None,
) -> str:
    """Press AFI `number`'s Vote button on the channel message; return the text of the
    ballot the voter is shown."""
    url = fake.new_response_url()
    reply = slack.click_in_message(
        message,
        ids.AFI_VOTE_ADD,
        user=user,
        channel=CHANNEL,
        value=f"{round_id(bot)}:{afi_ids(bot)[number]}",
        response_url=url,
        ephemeral=False,
        action_ts=action_ts,
    )
    assert reply.status == 200
    return str(responses_to(fake, url)[0]["text"])


def tally_line(message: dict[str, Any], number: int) -> str:
    for block in message["blocks"]:
        text = block.get("text", {}).get("text", "")
        if block["type"] == "section" and text.startswith(f"*{number}.*"):
            return str(text)
    raise AssertionError(f"AFI {number} not in the message")


def test_only_the_host_lead_or_improvement_service_can_start_a_vote(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=3)
    _, _, url = slack.command("/afi", "vote", user=PEERS[0])
    assert "Only the review's host lead" in responses_to(fake_slack, url)[0]["text"]
    assert fake_slack.calls_to("views.open") == []


def test_a_vote_needs_at_least_two_afis(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=1)
    _, _, url = slack.command("/afi", "vote", user=HOST_LEAD)
    assert "at least two" in responses_to(fake_slack, url)[0]["text"]


def test_starting_a_vote_posts_one_message_with_my_votes_and_one_vote_button_per_afi(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=3)
    (message,) = start_vote(slack, fake_slack)
    assert validate_blocks(message["blocks"], "message") == []
    buttons = [
        element["action_id"]
        for block in message["blocks"]
        if block["type"] == "actions"
        for element in block["elements"]
    ]
    assert buttons == [ids.AFI_MY_VOTES] + [ids.AFI_VOTE_ADD] * 3
    assert "press it again to take it back" in json.dumps(message["blocks"])
    assert "3 votes" in json.dumps(message["blocks"]) and "0 people have voted" in message["text"]


def test_a_vote_click_answers_with_the_remaining_budget_and_the_tally_catches_up(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=3)
    (message,) = start_vote(slack, fake_slack)
    answer = click_vote(slack, fake_slack, bot, message, 2, PEERS[1])
    assert "Vote added to AFI 2" in answer and "2 votes left of 3" in answer
    updated = wait_for_message(
        fake_slack, lambda m: "1 person has voted" in m["text"], "the first voter"
    )
    assert "*1 vote*" in tally_line(updated, 2)
    answer = click_vote(slack, fake_slack, bot, message, 2, PEERS[1])
    assert "Vote taken off AFI 2" in answer and "3 votes left of 3" in answer


def test_clicks_beyond_the_cap_or_budget_and_repeated_clicks_are_explained(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=4)
    (message,) = start_vote(slack, fake_slack, {ids.AFI_VOTE_BUDGET: "2"})
    click_vote(slack, fake_slack, bot, message, 1, PEERS[2], action_ts="1700000001.000001")
    repeated = click_vote(
        slack, fake_slack, bot, message, 1, PEERS[2], action_ts="1700000001.000001"
    )
    assert "already counted" in repeated and "1 vote left of 2" in repeated
    click_vote(slack, fake_slack, bot, message, 2, PEERS[2])
    spent = click_vote(slack, fake_slack, bot, message, 3, PEERS[2])
    assert "already used all 2 votes" in spent and "press an area you voted for" in spent
    moved = click_vote(slack, fake_slack, bot, message, 1, PEERS[2])
    assert "Vote taken off AFI 1" in moved and "1 vote left of 2" in moved


def test_with_more_than_one_vote_per_area_the_button_adds_up_to_the_limit_then_takes_back(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack, {ids.AFI_VOTE_CAP: "2"})
    assert "again for another (up to 2)" in json.dumps(message["blocks"])
    # Seconds apart, as a person presses again (a double click counts once).
    click_vote(slack, fake_slack, bot, message, 1, PEERS[2], action_ts="1700000001.0")
    second = click_vote(slack, fake_slack, bot, message, 1, PEERS[2], action_ts="1700000003.0")
    assert "you have 2 on it" in second and "1 vote left of 3" in second
    back = click_vote(slack, fake_slack, bot, message, 1, PEERS[2], action_ts="1700000005.0")
    assert "Your votes on AFI 1 are taken back" in back and "3 votes left of 3" in back


def test_only_the_review_team_votes_unless_the_vote_is_open_to_everyone(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack)
    assert "for the review team" in click_vote(slack, fake_slack, bot, message, 1, "UOUTSIDER")
    slack.command("/afi", "close", user=HOST_LEAD)
    fake_slack.wait_for("chat.postMessage", 2)
    slack.command("/afi", "vote", user=HOST_LEAD)
    view = fake_slack.wait_for("views.open", 2)[-1].response["view"]
    slack.submit_view(view, {ids.AFI_VOTE_WHO: "everyone"}, user=HOST_LEAD)
    fake_slack.wait_for("chat.postMessage", 3)
    message = fake_slack.messages_in(CHANNEL)[-1]
    assert "Vote added" in click_vote(slack, fake_slack, bot, message, 1, "UOUTSIDER")


class FlakyResponseUrl:
    """A response_url whose first `drops` requests are cut off unanswered, as on a bad
    network, and which answers nothing until `release()` if made `held`; the requests it
    accepts have their JSON bodies kept in `bodies`."""

    def __init__(self, drops: int = 0, *, held: bool = False) -> None:
        self._released = threading.Event()
        if not held:
            self._released.set()
        released = self._released
        self.bodies: list[dict[str, Any]] = []
        self.attempts = 0
        remaining = [drops]
        bodies = self.bodies
        flaky = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                flaky.attempts += 1
                if remaining[0] > 0:
                    remaining[0] -= 1
                    self.close_connection = True
                    return
                released.wait(10)
                bodies.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "2")
                self.end_headers()
                self.wfile.write(b"ok")

            def log_message(self, format: str, *args: Any) -> None:
                """Keep test output quiet."""

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.server.serve_forever, args=(0.01,), daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_port}/response"

    def release(self) -> None:
        self._released.set()

    def close(self) -> None:
        self.release()
        self.server.shutdown()
        self.server.server_close()


def test_a_stored_vote_whose_answer_fails_to_reach_slack_is_answered_once_slack_answers(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack)
    flaky = FlakyResponseUrl(drops=2)  # Slack's end drops the answer twice
    try:
        slack.click_in_message(
            message,
            ids.AFI_VOTE_ADD,
            user=PEERS[0],
            channel=CHANNEL,
            value=f"{round_id(bot)}:{afi_ids(bot)[1]}",
            response_url=flaky.url,
            ephemeral=False,
        )
        wait_until_delivered(bot.deps)
        assert flaky.attempts == 3
        assert [body["text"] for body in flaky.bodies] == [flaky.bodies[0]["text"]]
        assert "Vote added to AFI 1" in flaky.bodies[0]["text"]
        with transaction(bot.deps.sessions) as session:
            assert session.scalar(select(func.count()).select_from(AfiVote)) == 1
    finally:
        flaky.close()


def test_a_slow_answer_to_one_voter_does_not_hold_up_the_next_voters_click(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack)
    stuck = FlakyResponseUrl(held=True)  # Slack slow to take the first voter's answer
    try:
        slack.click_in_message(
            message,
            ids.AFI_VOTE_ADD,
            user=PEERS[0],
            channel=CHANNEL,
            value=f"{round_id(bot)}:{afi_ids(bot)[1]}",
            response_url=stuck.url,
            ephemeral=False,
        )
        deadline = time.monotonic() + 15
        while stuck.attempts < 1 and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "Vote added to AFI 2" in click_vote(slack, fake_slack, bot, message, 2, PEERS[1])
        stuck.release()
        deadline = time.monotonic() + 15
        while not stuck.bodies and time.monotonic() < deadline:
            time.sleep(0.02)
        assert "Vote added to AFI 1" in stuck.bodies[0]["text"]
    finally:
        stuck.close()


def test_a_burst_of_clicks_is_coalesced_and_the_final_tally_is_exact(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=4)
    (message,) = start_vote(slack, fake_slack)
    value_of = {number: f"{round_id(bot)}:{afi}" for number, afi in afi_ids(bot).items()}
    clicks = [(PEERS[i], 1 + i % 4) for i in range(40)] + [
        (PEERS[i], 1 + (i + 1) % 4) for i in range(20)
    ]
    barrier = threading.Barrier(len(clicks))
    started = time.time()

    def fire(user: str, number: int) -> None:
        barrier.wait()
        slack.click_in_message(
            message,
            ids.AFI_VOTE_ADD,
            user=user,
            channel=CHANNEL,
            value=value_of[number],
            response_url=fake_slack.new_response_url(),
            ephemeral=False,
        )

    threads = [threading.Thread(target=fire, args=click) for click in clicks]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    fake_slack.wait_for_responses(60)
    final = wait_for_message(
        fake_slack,
        lambda m: all("*15 votes*" in tally_line(m, number) for number in range(1, 5)),
        "15 votes on each AFI",
    )
    elapsed = time.time() - started
    updates = fake_slack.calls_to("chat.update")
    assert 1 <= len(updates) <= elapsed / bot.deps.settings.afi_tally_interval_seconds + 1
    accepted = sum("Vote added" in post.body["text"] for post in fake_slack.responses)
    with transaction(bot.deps.sessions) as session:
        stored = session.scalar(select(func.count()).select_from(AfiVote))
    assert stored == accepted == 60
    assert "40 people have voted" in final["text"]


def test_a_rate_limited_update_waits_for_retry_after_and_still_ends_exact(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack)
    fake_slack.fail_next("chat.update", retry_after=1)
    click_vote(slack, fake_slack, bot, message, 1, PEERS[0])
    click_vote(slack, fake_slack, bot, message, 2, PEERS[1])
    updates = fake_slack.wait_for("chat.update", 2)
    assert updates[0].status == 429
    assert updates[1].timestamp - updates[0].timestamp >= 0.9, "waited for Retry-After"
    wait_for_message(
        fake_slack,
        lambda m: "*1 vote*" in tally_line(m, 1) and "*1 vote*" in tally_line(m, 2),
        "both votes",
    )


def test_a_failed_update_after_the_last_click_is_retried_so_the_tally_ends_exact(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack)
    fake_slack.fail_next("chat.update", "internal_error", status=500)
    click_vote(slack, fake_slack, bot, message, 1, PEERS[0])
    updates = fake_slack.wait_for("chat.update", 2)
    assert updates[0].status == 500
    wait_for_message(fake_slack, lambda m: "*1 vote*" in tally_line(m, 1), "the vote")


def test_many_afis_are_split_into_pages_that_slack_accepts(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=45)
    pages = start_vote(slack, fake_slack, pages=3)
    assert len(pages) == 3
    for page in pages:
        assert len(page["blocks"]) <= 50
        assert validate_blocks(page["blocks"], "message") == []
    assert "part 3 of 3" in pages[2]["text"]
    click_vote(slack, fake_slack, bot, pages[2], 45, PEERS[0])
    wait_for_message(fake_slack, lambda m: "*1 vote*" in tally_line(m, 45), "the vote", page=3)


def test_closing_ranks_with_ties_posts_the_result_and_freezes_the_vote(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=4)
    (message,) = start_vote(slack, fake_slack)
    for user, number in [(PEERS[0], 1), (PEERS[1], 1), (PEERS[2], 1), (PEERS[0], 2), (PEERS[1], 3)]:
        click_vote(slack, fake_slack, bot, message, number, user)
    _, _, url = slack.command("/afi", "close 2", user=HOST_LEAD)
    result = fake_slack.wait_for("chat.postMessage", 2)[-1].args
    wait_until_delivered(bot.deps)
    # Told once: the result in the channel names the closer, and nothing else is said.
    assert not [post for post in fake_slack.responses if url.endswith(post.url_id)]
    assert f"<@{HOST_LEAD}> closed the vote." in str(result["blocks"])
    assert validate_blocks(result["blocks"], "message") == []
    rendered = str(result["blocks"])
    assert "*1st*" in rendered and "*=2nd*" in rendered
    assert "AFI 1 is prioritised; AFIs 2 and 3 tie for the last place." in rendered
    assert "1 other had no votes: AFI 4." in rendered and "0 votes" not in rendered
    with transaction(bot.deps.sessions) as session:
        ranks = dict(session.execute(select(Afi.number, Afi.rank)).all())
        prioritised = set(session.scalars(select(Afi.number).where(Afi.prioritised.is_(True))))
    assert ranks == {1: 1, 2: 2, 3: 2, 4: 4} and prioritised == {1, 2, 3}
    frozen = wait_for_message(fake_slack, lambda m: "Voting is closed" in m["text"], "closing")
    assert not [block for block in frozen["blocks"] if block["type"] == "actions"]
    assert "Press" not in json.dumps(frozen["blocks"])
    assert "Voting has closed" in click_vote(slack, fake_slack, bot, message, 4, PEERS[5])


def test_closing_a_vote_on_many_long_voted_afis_posts_the_whole_ranking_in_parts(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=60, text="AFI {index}: " + "roads & pavements <!here> " * 18)
    pages = start_vote(slack, fake_slack, pages=3)
    for index in range(50):  # AFIs 1 to 50 get a vote each
        page = pages[min(index // 20, 2)]
        click_vote(slack, fake_slack, bot, page, index + 1, PEERS[index // 3])
    slack.command("/afi", "close", user=HOST_LEAD)
    wait_until_delivered(bot.deps)
    results = [call.args for call in fake_slack.calls_to("chat.postMessage")[3:]]
    assert len(results) > 1
    assert "tie for the 5 places" in json.dumps(results[0]["blocks"])
    shown = ""
    for result in results:
        assert validate_blocks(result["blocks"], "message") == []
        assert text_length(result["blocks"]) <= SLACK_BLOCKS_TEXT_LIMIT
        shown += json.dumps(result["blocks"])
    assert all(f"*{number}.* AFI {number}:" in shown for number in range(1, 51))
    assert "10 others had no votes: AFIs 51, 52, 53, 54, 55, 56, 57, 58, 59 and 60." in shown


def test_reopening_is_audited_and_votes_count_again(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    (message,) = start_vote(slack, fake_slack)
    click_vote(slack, fake_slack, bot, message, 1, PEERS[0])
    slack.command("/afi", "close", user=HOST_LEAD)
    _, _, url = slack.command("/afi", "reopen", user=PEERS[0])
    assert "Only the review's" in responses_to(fake_slack, url)[0]["text"]
    _, _, url = slack.command("/afi", "reopen", user=HOST_LEAD)
    assert "open again" in responses_to(fake_slack, url)[0]["text"]
    answer = click_vote(slack, fake_slack, bot, message, 2, PEERS[0])
    assert "1 vote left of 3" in answer, "the vote cast before closing still counts"
    with transaction(bot.deps.sessions) as session:
        actions = list(session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)))
    assert [action for action in actions if action.startswith("afi.vote")] == [
        "afi.vote.opened",
        "afi.vote.closed",
        "afi.vote.reopened",
    ]


def test_close_explains_a_bad_number_and_when_no_vote_is_open(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    _, _, url = slack.command("/afi", "close lots", user=PEERS[0])
    assert responses_to(fake_slack, url)[0]["text"].startswith("Only the review's")  # first
    _, _, url = slack.command("/afi", "close lots", user=HOST_LEAD)
    assert "/afi close 3" in responses_to(fake_slack, url)[0]["text"]
    _, _, url = slack.command("/afi", "close", user=HOST_LEAD)
    assert "No vote is open" in responses_to(fake_slack, url)[0]["text"]


def test_an_afi_added_during_the_vote_joins_the_ballot_on_a_new_page_if_needed(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=20)
    start_vote(slack, fake_slack)
    _, _, url = slack.command("/afi", "add A late but important area", user=PEERS[4])
    responses_to(fake_slack, url)
    fake_slack.wait_for("chat.postMessage", 2)
    wait_for_message(fake_slack, lambda m: "part 1 of 2" in m["text"], "the new page")
    pages = fake_slack.messages_in(CHANNEL)
    assert len(pages) == 2
    assert "part 1 of 2" in pages[0]["text"] and "part 2 of 2" in pages[1]["text"]
    assert "A late but important area" in tally_line(pages[1], 21)
    assert validate_blocks(pages[1]["blocks"], "message") == []


def test_a_vote_in_a_channel_the_bot_cannot_post_in_is_not_left_open(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    fake_slack.set_channel(CHANNEL, is_member=False)
    _, _, url = slack.command("/afi", "vote", user=HOST_LEAD)
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    slack.submit_view(view, {}, user=HOST_LEAD)
    answers = responses_to(fake_slack, url)
    assert "The vote was not started" in answers[0]["text"]
    assert "/invite" in answers[0]["text"]
    with transaction(bot.deps.sessions) as session:
        assert session.scalar(select(func.count()).select_from(AfiVoteRound)) == 0


def test_a_vote_whose_message_slack_fails_to_post_for_a_while_is_posted_once_slack_answers(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    fake_slack.fail_next("chat.postMessage", "internal_error", status=500, times=3)
    slack.command("/afi", "vote", user=HOST_LEAD)
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    reply = slack.submit_view(view, {}, user=HOST_LEAD)
    assert reply.status == 200 and not reply.body.strip(b"{}")  # saved: the modal closes
    posts = fake_slack.wait_for("chat.postMessage", 4)
    assert [post.status for post in posts] == [500, 500, 500, 200]
    (message,) = fake_slack.messages_in(CHANNEL)
    assert "Vote added" in click_vote(slack, fake_slack, bot, message, 1, PEERS[0])


def test_a_rate_limited_opening_post_is_retried_after_retry_after(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot
) -> None:
    seed_voting_review(bot.deps, afis=2)
    fake_slack.fail_next("chat.postMessage", retry_after=1)
    slack.command("/afi", "vote", user=HOST_LEAD)
    view = fake_slack.wait_for("views.open")[-1].response["view"]
    slack.submit_view(view, {}, user=HOST_LEAD)
    posts = fake_slack.wait_for("chat.postMessage", 2)
    assert (posts[0].status, posts[1].status) == (429, 200)
    (message,) = fake_slack.messages_in(CHANNEL)
    assert "Vote added" in click_vote(slack, fake_slack, bot, message, 1, PEERS[0])
