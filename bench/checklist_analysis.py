"""Time the self-assessment analysis: 200 respondents × 61 statements, chart included.

    .venv/bin/python bench/checklist_analysis.py [--postgres ADMIN_URL] [--respondents N]

It runs on a throwaway SQLite file, or with --postgres (an admin URL such as
postgresql+psycopg://postgres@127.0.0.1:5432/postgres) on a throwaway PostgreSQL database
that it creates and drops. It prints the database queries taken (which
must not grow with the number of respondents) and the time to load, analyse and chart.
The goal is under one second in all.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import create_engine, event, text

from bot.app import make_deps
from bot.core.checklist import Answer
from bot.core.responses import SectionAnswers, respondent_key
from bot.core.roles import Role
from bot.core.timeline import Timeline
from bot.self_assessment._chart import render_agreement_chart
from bot.self_assessment.service import load_results
from bot.settings import Settings
from storage.db import transaction
from storage.migrate import upgrade_to_head
from storage.models.reviews import Review
from storage.repositories.reviews import NewReview, create_review
from storage.repositories.self_assessment import add_participants, ensure_round
from storage.repositories.self_assessment_answers import save_section

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
RUNS = 5


def populate(deps: Any, respondents: int, channel: str) -> int:
    """A review with `respondents` invited people who answered everything, with some
    comments."""
    rng = random.Random(respondents)
    checklist = deps.checklists["psif-default"]
    with transaction(deps.sessions) as session:
        review = create_review(
            session=session,
            new=NewReview(
                team_id="TBENCH",
                channel_id=channel,
                host_council="Fife",
                focus="Bench",
                rationale="",
                peer_councils=(),
                peer_rationale="",
                timeline=Timeline(fieldwork_start=date(2027, 3, 3)),
                members=(("UHOST", Role.HOST_LEAD),),
            ),
            actor_id="UHOST",
            now=NOW,
        )
        round_ = ensure_round(
            session=session,
            review=review,
            checklist=checklist,
            closes_on=date(2026, 11, 24),  # closed: results are shown only then
            actor_id="UHOST",
            now=NOW,
        )
        people = [f"U{person:05d}" for person in range(respondents)]
        # Invited, so that their answers count towards the minimum (people outside the team).
        add_participants(
            session=session, review_id=review.id, user_ids=people, actor_id="UHOST", now=NOW
        )
        for user_id in people:
            key = respondent_key(deps.respondent_secret, round_.key_salt, user_id)
            for section in checklist.sections:
                save_section(
                    session=session,
                    review_id=review.id,
                    respondent_key=key,
                    saved=SectionAnswers(
                        section.number,
                        {s.id: rng.choice(list(Answer)) for s in section.statements},
                        "Works well " * rng.randint(0, 3),
                        "Could improve " * rng.randint(0, 3),
                    ),
                )
        return review.id


def measure(deps: Any, review_id: int) -> tuple[int, list[float], list[float]]:
    queries = 0

    def count(*_: Any) -> None:
        nonlocal queries
        queries += 1

    analysis_times, total_times = [], []
    for run in range(RUNS):
        queries = 0
        event.listen(deps.engine, "before_cursor_execute", count)
        started = time.perf_counter()
        with transaction(deps.sessions) as session:
            review = session.get(Review, review_id)
            assert review is not None
            results = load_results(session=session, deps=deps, review=review)
        analysed = time.perf_counter()
        event.remove(deps.engine, "before_cursor_execute", count)
        render_agreement_chart(results.analysis)
        finished = time.perf_counter()
        if run:  # the first run warms imports and caches
            analysis_times.append(analysed - started)
            total_times.append(finished - started)
    return queries, analysis_times, total_times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--postgres", metavar="ADMIN_URL", help="run on PostgreSQL instead")
    parser.add_argument("--respondents", type=int, default=200)
    args = parser.parse_args()
    if args.postgres:
        name = f"psif_bench_{os.getpid()}"
        admin = create_engine(args.postgres, isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        try:
            return run(args.postgres.rsplit("/", 1)[0] + f"/{name}", args.respondents)
        finally:
            with admin.connect() as connection:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            admin.dispose()
    return run(f"sqlite:///{tempfile.mkdtemp()}/bench.db", args.respondents)


def run(url: str, respondents_wanted: int) -> int:
    upgrade_to_head(url)
    settings = Settings(
        SLACK_BOT_TOKEN="xoxb-bench", SLACK_SIGNING_SECRET="bench", DATABASE_URL=url, _env_file=None
    )  # type: ignore[call-arg]
    deps = make_deps(settings)
    print(f"database: {deps.engine.url.render_as_string(hide_password=True)}")
    for respondents in (20, respondents_wanted):
        review_id = populate(deps, respondents, f"CBENCH{respondents}")
        queries, analysis_times, total_times = measure(deps, review_id)
        print(
            f"{respondents:>4} respondents × 61 statements: {queries} queries; "
            f"load+analyse median {statistics.median(analysis_times) * 1000:.0f} ms; "
            f"with chart median {statistics.median(total_times) * 1000:.0f} ms "
            f"(max {max(total_times) * 1000:.0f} ms over {len(total_times)} runs)"
        )
    deps.engine.dispose()
    return 0


if __name__ == "__main__":
    sys.exit(main())
