"""The Home picture (what the outbox reads to publish a tab) runs the same few statements
whatever the size of the reviews: its counts are the database's, read in one statement."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, event

from bot.core.votes import VoteSettings
from bot.deps import Deps
from bot.home.service import home_picture
from storage.db import transaction
from storage.repositories.afi_votes import open_vote
from storage.repositories.reviews import latest_review_in_channel

from factories import NOW
from statement_helpers import LARGE, SMALL, seed_sized_review

# BEGIN; the reviews and their peers; the person's first actions with counts; milestones
# recorded; the lead's counts; the self-assessments they answer; the open vote and their
# votes in it (bot.afis, per review).
AT_MOST = 9


@contextmanager
def statements(engine: Engine) -> Iterator[list[str]]:
    seen: list[str] = []

    def count(*args: Any) -> None:
        seen.append(str(args[2]))

    event.listen(engine, "before_cursor_execute", count)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", count)


def test_the_home_picture_runs_as_many_statements_at_200_items_as_at_5(deps: Deps) -> None:
    counts = {}
    for size in (SMALL, LARGE):
        channel, host = f"C{size}", f"UHOST{size}"
        seed_sized_review(deps, channel=channel, host=host, size=size)
        with transaction(deps.sessions) as session:
            review = latest_review_in_channel(session=session, channel_id=channel)
            assert review is not None
            open_vote(
                session=session,
                review_id=review.id,
                channel_id=channel,
                settings=VoteSettings(),
                actor_id=host,
                now=NOW,
            )
        home_picture(deps, user_id=host)  # warm: first-use caches aside
        with statements(deps.engine) as seen:
            picture = home_picture(deps, user_id=host)
        assert picture.owned.unfinished == size
        counts[size] = len(seen)
    assert counts[SMALL] == counts[LARGE] <= AT_MOST, counts
