"""Under load, with Slack slow: the real server (`psif-bot serve`) on PostgreSQL answers every
request in time, and what it acknowledged is what the database holds — even when the server
is killed mid-burst. Needs PostgreSQL (PSIF_TEST_POSTGRES_URL); `.ci/run` always has it."""

from __future__ import annotations

import os
import random
import signal
import socket
import subprocess
import sys
import time
import urllib.request
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, create_engine, func, select, text

from bot.core.roles import Role
from bot.core.votes import VoteSettings
from bot.demo.driver import HttpReply, SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.slack import ids
from storage.db import make_engine, make_session_factory, transaction
from storage.migrate import upgrade_to_head
from storage.models.afis import Afi, AfiVote
from storage.repositories.afi_votes import open_vote

from factories import add_afis, make_review

POSTGRES_ENV = "PSIF_TEST_POSTGRES_URL"
SECRET = "load-test-signing-secret"
REVIEWS = 10
PEOPLE_PER_REVIEW = 5  # 50 people across 10 reviews
NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get(POSTGRES_ENV), reason="needs PostgreSQL"),
]


@dataclass
class Server:
    url: str
    engine: Engine
    process: subprocess.Popen[bytes]
    fake: FakeSlack


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _seed(engine: Engine) -> list[dict[str, Any]]:
    """Ten reviews, each with five team members, two AFIs and an open vote."""
    reviews = []
    sessions = make_session_factory(engine)
    for index in range(REVIEWS):
        people = [f"UP{index:02d}{person}" for person in range(PEOPLE_PER_REVIEW)]
        members = (
            (people[0], Role.HOST_LEAD),
            (people[1], Role.IS_LEAD),
            *((person, Role.PEER_REVIEWER) for person in people[2:]),
        )
        with transaction(sessions) as session:
            review = make_review(
                session, members=members, channel=f"CLOAD{index:02d}", focus="Roads", now=NOW
            )
            afis = [
                afi.id
                for afi in add_afis(
                    session,
                    review_id=review.id,
                    texts=(f"Area {number}" for number in (1, 2)),
                    author_id=people[0],
                    now=NOW,
                )
            ]
            vote_round = open_vote(
                session=session,
                review_id=review.id,
                channel_id=review.channel_id,
                settings=VoteSettings(budget=20, per_afi_cap=20),
                actor_id=people[0],
                now=NOW,
            )
            reviews.append(
                {
                    "channel": review.channel_id,
                    "people": people,
                    "afis": afis,
                    "round": vote_round.id,
                }
            )
    return reviews


@pytest.fixture
def server() -> Iterator[Server]:
    admin_url = os.environ[POSTGRES_ENV]
    name = f"psif_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = f"{admin_url.rsplit('/', 1)[0]}/{name}"
    upgrade_to_head(url)
    engine = make_engine(url)
    port = _free_port()
    with FakeSlack() as fake:
        for method in ("chat.postMessage", "chat.update", "views.publish", "chat.postEphemeral"):
            fake.delay(method, 0.5)  # Slack answering slowly throughout
        env = {
            **os.environ,
            "SLACK_BOT_TOKEN": "xoxb-load",
            "SLACK_SIGNING_SECRET": SECRET,
            "PSIF_RESPONDENT_SECRET": "load-test-respondent-secret",
            "DATABASE_URL": url,
            "SLACK_API_URL": fake.base_url,
            "PORT": str(port),
        }
        process = subprocess.Popen(
            [sys.executable, "-c", "from bot.cli import main; raise SystemExit(main(['serve']))"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,  # its own process group, so the whole server can be killed
        )
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"{base}/healthz", timeout=1) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            assert process.poll() is None, "psif-bot serve exited"
            assert time.monotonic() < deadline, "psif-bot serve never answered /healthz"
            time.sleep(0.05)
        try:
            yield Server(base, engine, process, fake)
        finally:
            if process.poll() is None:
                os.killpg(process.pid, signal.SIGTERM)
                process.wait(timeout=15)
            engine.dispose()
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _vote_message(afi_id: int, round_id: int) -> dict[str, Any]:
    button = {
        "type": "button",
        "action_id": ids.AFI_VOTE_ADD,
        "text": {"type": "plain_text", "text": "Vote"},
        "value": f"{round_id}:{afi_id}",
    }
    return {"blocks": [{"type": "actions", "block_id": f"vote:{afi_id}", "elements": [button]}]}


def _click(driver: SlackDriver, review: dict[str, Any], person: str, afi_id: int) -> HttpReply:
    return driver.click_in_message(
        _vote_message(afi_id, review["round"]),
        ids.AFI_VOTE_ADD,
        user=person,
        channel=review["channel"],
        value=f"{review['round']}:{afi_id}",
        response_url=driver.fake.new_response_url(),
        ephemeral=False,
    )


def _count(engine: Engine, model: type[Any]) -> int:
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(model)).scalar_one())


def test_a_burst_of_500_mixed_requests_is_answered_in_time_and_stored_exactly(
    server: Server,
) -> None:
    reviews = _seed(server.engine)
    driver = SlackDriver(server.url, SECRET, server.fake)
    rng = random.Random(7)
    # Each vote is a different (person, AFI) pair: the same button pressed twice in a moment
    # is a double click, which counts once by design.
    pairs = {
        review["channel"]: iter([(p, a) for p in review["people"] for a in review["afis"]])
        for review in reviews
    }
    # Each added area has its own wording: the same words twice would be asked about first
    # ("This looks like AFI 3 — add anyway?"), by design.
    requests: list[tuple[str, dict[str, Any], str, int]] = []
    for index in range(500):
        review = reviews[index % REVIEWS]
        kind = ("add", "vote", "list", "status", "status")[(index // REVIEWS) % 5]
        person, afi = (
            next(pairs[review["channel"]])
            if kind == "vote"
            else (
                rng.choice(review["people"]),
                0,
            )
        )
        requests.append((kind, review, person, afi))

    def send(indexed: tuple[int, tuple[str, dict[str, Any], str, int]]) -> tuple[str, HttpReply]:
        index, (kind, review, person, afi) = indexed
        if kind == "vote":
            return kind, _click(driver, review, person, afi)
        text_by_kind = {
            "add": f"add Area {index} from {person}",
            "list": "list",
            "status": "status",
        }
        command = "/afi" if kind in ("add", "list") else "/psif"
        reply, _, _ = driver.command(
            command, text_by_kind[kind], user=person, channel=review["channel"]
        )
        return kind, reply

    with ThreadPoolExecutor(20) as pool:
        answers = list(pool.map(send, enumerate(requests)))
    assert [reply.status for _, reply in answers if reply.status != 200] == []
    slowest = max(reply.elapsed for _, reply in answers)
    assert slowest < 3.0, slowest
    added = sum(
        1 for kind, reply in answers if kind == "add" and "Added as AFI" in str(reply.json())
    )
    votes = sum(1 for kind, _ in answers if kind == "vote")
    assert added == 100
    assert _count(server.engine, Afi) == 2 * REVIEWS + added
    assert votes == 100
    assert _count(server.engine, AfiVote) == votes  # budget and cap admit every click


def test_every_acknowledged_vote_survives_the_server_being_killed_mid_burst(
    server: Server,
) -> None:
    reviews = _seed(server.engine)
    driver = SlackDriver(server.url, SECRET, server.fake)
    clicks = [
        (review, person, afi)
        for review in reviews
        for person in review["people"]
        for afi in review["afis"]
    ]  # 100 distinct (person, AFI) pairs

    def send(click: tuple[dict[str, Any], str, int]) -> tuple[str, int, int]:
        review, person, afi = click
        try:
            status = _click(driver, review, person, afi).status
        except OSError:  # the server died under this request
            status = 0
        return person, afi, status

    with ThreadPoolExecutor(10) as pool:
        futures = [pool.submit(send, click) for click in clicks]
        while sum(future.done() for future in futures) < 30:
            time.sleep(0.01)
        os.killpg(server.process.pid, signal.SIGKILL)  # no chance to finish anything
        server.process.wait(timeout=10)
        outcomes = [future.result() for future in futures]
    acknowledged = {(person, afi) for person, afi, status in outcomes if status == 200}
    assert len(acknowledged) >= 30
    with server.engine.connect() as connection:
        stored = {
            (voter, afi)
            for voter, afi in connection.execute(select(AfiVote.voter_id, AfiVote.afi_id))
        }
    assert acknowledged <= stored
