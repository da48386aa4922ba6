"""A pass's statements don't grow with what is due: claims, renders' per-review facts,
outbox rows and status updates are batched."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

from sqlalchemy import event

from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from bot.reminders.service import RULES
from storage.db import transaction
from storage.repositories.reminders import record_done

from conftest import TestDatabase
from nudge_helpers import add_review, client_for, deliver_outbox, nudges, posts, run_at, utc

WEEK_BEFORE = utc(2026, 12, 3, 9)
TIMELINE_ONLY = tuple(rule for rule in RULES if rule.name == "timeline")


@contextmanager
def counting(deps: Deps) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(deps.engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(deps.engine, "before_cursor_execute", count)


def statements_for(deps: Deps, fake_slack: FakeSlack, reviews: int) -> int:
    for number in range(reviews):
        review_id = add_review(
            deps,
            channel=f"C{number:03d}",
            opened=WEEK_BEFORE,
            pre_meeting=date(2026, 12, 10),
            draft_report=date(2026, 12, 10),
        )
        with transaction(deps.sessions) as session:  # something for each render to read
            record_done(
                session=session,
                review_id=review_id,
                milestone="papers_due",
                actor_id="UHOST",
                now=WEEK_BEFORE,
            )
    with counting(deps) as seen:
        report = run_at(deps, fake_slack, WEEK_BEFORE, rules=TIMELINE_ONLY, deliver=False)
    assert report.sent == 2 * reviews and report.posts == reviews
    return len(seen)


def test_statements_per_pass_stay_the_same_from_2_due_nudges_to_80(
    deps: Deps, fake_slack: FakeSlack, db: TestDatabase
) -> None:
    few = statements_for(deps, fake_slack, 1)
    db.clear()
    many = statements_for(deps, fake_slack, 40)
    assert many == few
    deliver_outbox(deps, client_for(fake_slack))
    assert len(posts(fake_slack, "C039")) == 1  # two reminders, one morning post
    assert {n.status for n in nudges(deps)} == {"sent"}
