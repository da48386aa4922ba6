"""Time one scheduler pass and count its queries.

    .venv/bin/python bench/scheduler_pass.py [--database-url postgresql+psycopg://…/db]

Cases: 10, 100 and 1,000 open reviews with nothing due; the same 1,000 with a self-assessment
(20 people still to answer) and 10 open actions each, none of them due; 1,000 reviews whose
nudges were all
sent earlier that day (nothing due, but the ledger is full); and 1,000 due nudges. Slack is
the fake Web API from tests/ on 127.0.0.1. Goal: a pass with nothing due makes a constant
number of queries and takes well under 100 ms at 1,000 reviews; a pass with 1,000 due
nudges (one per review) hands them to the outbox in under 2 s with statements that grow
with the reviews, not the nudges. The outbox's delivery of those posts to the fake Slack is
timed on its own line (it is Slack-bound and runs in the worker, not the pass).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, event, insert, text

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from bot.app import outbox_worker
from bot.core.stages import Stage
from bot.deps import Deps
from bot.settings import Settings
from bot.slack.client import new_client
from scheduler.nudge_pass import run_pass
from storage.db import make_engine, make_session_factory
from storage.migrate import upgrade_to_head
from storage.models.improvement_actions import Action
from storage.models.reviews import Review, TeamMember
from storage.models.self_assessment import ChecklistParticipant, ChecklistRound
from storage.schema import metadata

from fake_slack import FakeSlack

LONDON = ZoneInfo("Europe/London")
# Wednesday 2 December 2026, 10:00 in London. Reviews opened on the Tuesday, so no digest.
NOW = datetime(2026, 12, 2, 10, 0, tzinfo=UTC)
OPENED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
QUIET_PRE_MEETING = date(2027, 6, 10)
DUE_PRE_MEETING = date(2026, 12, 9)  # week-ahead reminder due on 2 December
PARTICIPANTS_PER_REVIEW = 20
ACTIONS_PER_REVIEW = 10


class QueryCounter:
    def __init__(self, engine: Engine) -> None:
        self.count = 0
        event.listen(engine, "before_cursor_execute", self._seen)

    def _seen(self, *_args: Any) -> None:
        self.count += 1


def reset(engine: Engine) -> None:
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())


def add_reviews(engine: Engine, count: int, pre_meeting: date) -> None:
    rows = [
        {
            "team_id": "T0001",
            "channel_id": f"C{number:05d}",
            "host_council": "Fife",
            "focus": "Roads maintenance",
            "rationale": "",
            "peer_rationale": "",
            "checklist_id": "psif-default",
            "stage": Stage.PRE_WORK.value,
            "pre_meeting": pre_meeting,
            "created_by": "UHOST",
            "created_at": OPENED,
        }
        for number in range(count)
    ]
    with engine.begin() as connection:
        connection.execute(insert(Review), rows)
        ids = connection.execute(text("SELECT id FROM reviews")).scalars().all()
        connection.execute(
            insert(TeamMember),
            [
                {
                    "review_id": review_id,
                    "user_id": "UHOST",
                    "role": "host_lead",
                    "added_by": "UHOST",
                    "added_at": OPENED,
                }
                for review_id in ids
            ],
        )


def add_work_not_yet_due(engine: Engine) -> None:
    """A self-assessment and open actions for every review, all due long after NOW."""
    with engine.begin() as connection:
        ids = connection.execute(text("SELECT id FROM reviews")).scalars().all()
        connection.execute(
            insert(ChecklistRound),
            [
                {
                    "review_id": review_id,
                    "checklist_id": "psif-default",
                    "checklist_version": "1",
                    "key_salt": "salt",
                    "closes_on": QUIET_PRE_MEETING,
                    "issued_by": "UHOST",
                    "issued_at": OPENED,
                }
                for review_id in ids
            ],
        )
        connection.execute(
            insert(ChecklistParticipant),
            [
                {
                    "review_id": review_id,
                    "user_id": f"U{number:04d}",
                    "invited_by": "UHOST",
                    "invited_at": OPENED,
                }
                for review_id in ids
                for number in range(PARTICIPANTS_PER_REVIEW)
            ],
        )
        connection.execute(
            insert(Action),
            [
                {
                    "review_id": review_id,
                    "number": number,
                    "key_action": "Publish the road repair schedule",
                    "owner_id": f"U{number:04d}",
                    "due": QUIET_PRE_MEETING,
                    "status": "open",
                    "created_by": "UHOST",
                    "created_at": OPENED,
                    "updated_at": OPENED,
                }
                for review_id in ids
                for number in range(1, ACTIONS_PER_REVIEW + 1)
            ],
        )


@contextmanager
def measured(counter: QueryCounter) -> Iterator[dict[str, float]]:
    figures: dict[str, float] = {}
    before = counter.count
    started = time.perf_counter()
    yield figures
    figures["ms"] = (time.perf_counter() - started) * 1000
    figures["queries"] = counter.count - before


def one_pass(engine: Engine, fake: FakeSlack, counter: QueryCounter) -> tuple[float, int, int]:
    sessions = make_session_factory(engine)
    client = new_client(token="xoxb-bench", base_url=fake.base_url)
    with measured(counter) as figures:
        report = run_pass(
            sessions, client, NOW, default_zone=LONDON, respondent_secret=b"bench-respondent-secret"
        )
    return figures["ms"], int(figures["queries"]), report.sent


def deliver_outbox(url: str, engine: Engine, fake: FakeSlack, counter: QueryCounter) -> None:
    """Time the outbox worker posting what the due pass owed, as the scheduler process does."""
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-bench",
        SLACK_SIGNING_SECRET="bench-signing-secret",
        PSIF_RESPONDENT_SECRET="bench-respondent-secret",
        DATABASE_URL=url,
        SLACK_API_URL=fake.base_url,
        _env_file=None,
    )  # type: ignore[call-arg]
    deps = Deps(settings=settings, engine=engine, sessions=make_session_factory(engine))
    client = new_client(token="xoxb-bench", base_url=fake.base_url)
    worker = outbox_worker(deps, lambda _team: client)
    delivered = 0
    with measured(counter) as figures:
        while attempted := worker.deliver_due():
            delivered += attempted
    row(
        "  then the outbox posts them (fake Slack)",
        figures["ms"],
        int(figures["queries"]),
        delivered,
    )


def row(case: str, ms: float, queries: int, sent: int) -> None:
    print(f"{case:<44}{ms:>9.1f} ms{queries:>10}{sent:>7}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--repeat", type=int, default=5, help="passes per quiet case (median)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        url = args.database_url or f"sqlite:///{folder}/bench.db"
        upgrade_to_head(url)
        engine = make_engine(url)
        counter = QueryCounter(engine)
        print(f"database: {engine.dialect.name}")
        print(f"{'case':<44}{'time':>12}{'queries':>10}{'sent':>7}")
        with FakeSlack() as fake:
            for count in (10, 100, 1000):
                reset(engine)
                add_reviews(engine, count, QUIET_PRE_MEETING)
                runs = [one_pass(engine, fake, counter) for _ in range(args.repeat)]
                ms = statistics.median(run[0] for run in runs)
                row(f"{count:,} open reviews, nothing due", ms, runs[-1][1], 0)
            add_work_not_yet_due(engine)
            runs = [one_pass(engine, fake, counter) for _ in range(args.repeat)]
            ms = statistics.median(run[0] for run in runs)
            row("1,000 with self-assessments and actions", ms, runs[-1][1], 0)
            reset(engine)
            add_reviews(engine, 1000, DUE_PRE_MEETING)
            ms, queries, sent = one_pass(engine, fake, counter)
            row("1,000 open reviews, 1,000 nudges due", ms, queries, sent)
            deliver_outbox(url, engine, fake, counter)
            runs = [one_pass(engine, fake, counter) for _ in range(args.repeat)]
            ms = statistics.median(run[0] for run in runs)
            row("1,000 reviews, all sent already today", ms, runs[-1][1], runs[-1][2])
        engine.dispose()


if __name__ == "__main__":
    main()
