"""Shared setup for the AFI scenario tests: a review in CREVIEW with a team of voters."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from typing import Any

from sqlalchemy import func, select

from bot.core.roles import Role
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack, validate_view
from bot.deps import Deps
from bot.slack import ids
from storage.db import transaction
from storage.models.afis import Afi, AfiVoteRound

from conftest import RunningBot
from factories import add_afis, make_review

CHANNEL = "CREVIEW"
HOST_LEAD = "UHOST"
IS_LEAD = "UIS"
PEERS = tuple(f"UPEER{index:02d}" for index in range(40))
# Slack refuses a message whose blocks' text adds up to about this (msg_blocks_too_long).
SLACK_BLOCKS_TEXT_LIMIT = 12_000


def text_length(node: object) -> int:
    """All the text in blocks, as Slack counts it towards msg_blocks_too_long."""
    if isinstance(node, dict):
        own = len(node["text"]) if isinstance(node.get("text"), str) else 0
        return own + sum(text_length(value) for value in node.values())
    if isinstance(node, list):
        return sum(text_length(value) for value in node)
    return 0


def seed_voting_review(
    deps: Deps, *, afis: int = 0, text: str = "Area for improvement number {index}"
) -> int:
    """A review in CREVIEW led by UHOST and UIS with 40 peer reviewers, and `afis` AFIs
    whose texts are `text` with their number filled in."""
    members = (
        (HOST_LEAD, Role.HOST_LEAD),
        (IS_LEAD, Role.IS_LEAD),
        *((peer, Role.PEER_REVIEWER) for peer in PEERS),
    )
    with transaction(deps.sessions) as session:
        review = make_review(
            session,
            members=members,
            channel=CHANNEL,
            peer_councils=("Angus", "Stirling", "Moray"),
            now=deps.now(),
        )
        add_afis(
            session,
            review_id=review.id,
            texts=(text.format(index=index) for index in range(1, afis + 1)),
            author_id=PEERS[0],
            now=deps.now(),
        )
        return review.id


def responses_to(fake: FakeSlack, response_url: str, count: int = 1) -> list[dict[str, Any]]:
    """Bodies POSTed to one response_url, waiting until `count` arrived."""
    url_id = response_url.rsplit("/", 1)[1]
    deadline = time.monotonic() + 15
    while True:
        found = [post.body for post in fake.responses if post.url_id == url_id]
        if len(found) >= count or time.monotonic() > deadline:
            assert len(found) >= count, f"expected {count} response(s) to {url_id}"
            return found
        time.sleep(0.01)


def show_from_list(
    slack: SlackDriver, fake: FakeSlack, listing: dict[str, Any], afi_id: int, user: str
) -> dict[str, Any]:
    """Press Show on AFI `afi_id` in a `/afi list` answer: the AFI in full, answered apart
    (the list stays)."""
    url = fake.new_response_url()
    slack.click_in_message(
        listing, ids.AFI_SHOW, user=user, channel=CHANNEL, response_url=url, value=str(afi_id)
    )
    return responses_to(fake, url)[0]


def start_vote(
    slack: SlackDriver, fake: FakeSlack, inputs: dict[str, Any] | None = None, pages: int = 1
) -> list[dict[str, Any]]:
    """Open a vote as the host lead; return the voting message's pages as stored by Slack."""
    slack.command("/afi", "vote", user=HOST_LEAD)
    view = fake.wait_for("views.open")[-1].response["view"]
    assert validate_view(view, "modal") == []
    reply = slack.submit_view(view, inputs or {}, user=HOST_LEAD)
    assert reply.body in (b"", b"{}"), reply.body
    fake.wait_for("chat.postMessage", pages)
    # A copy: people may still click the message as first posted after it changes.
    return copy.deepcopy(fake.messages_in(CHANNEL))


def afi_ids(bot: RunningBot) -> dict[int, int]:
    with transaction(bot.deps.sessions) as session:
        return {number: afi_id for number, afi_id in session.execute(select(Afi.number, Afi.id))}


def round_id(bot: RunningBot) -> int:
    with transaction(bot.deps.sessions) as session:
        found = session.scalar(select(func.max(AfiVoteRound.id)))
    assert found is not None
    return int(found)


def wait_for_message(
    fake: FakeSlack, shows: Callable[[dict[str, Any]], bool], what: str, page: int = 1
) -> dict[str, Any]:
    """Page `page` of the channel's voting message once it `shows` what is expected (the
    tally refresher updates it a moment after the clicks)."""
    deadline = time.monotonic() + 10
    while True:
        pages = fake.messages_in(CHANNEL)
        if len(pages) >= page and shows(pages[page - 1]):
            return pages[page - 1]
        assert time.monotonic() < deadline, f"the voting message never showed {what}"
        time.sleep(0.01)
