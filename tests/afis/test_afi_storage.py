"""AFI numbering on SQLite and PostgreSQL, including two sessions adding at once."""

from __future__ import annotations

import threading
from datetime import UTC, datetime

from bot.core.roles import Role
from storage.db import make_session_factory, transaction
from storage.repositories.afis import NewAfi, add_afi, list_afis

from conftest import TestDatabase
from factories import make_review

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


def seed_one_person_review(db: TestDatabase) -> int:
    with transaction(make_session_factory(db.engine)) as session:
        review = make_review(
            session,
            members=(("U1", Role.HOST_LEAD),),
            channel="C1",
            team_id="T1",
            focus="Roads",
            peer_councils=(),
            now=NOW,
        )
        return review.id


def test_afis_are_numbered_per_review_without_gaps_under_concurrency(db: TestDatabase) -> None:
    review_id = seed_one_person_review(db)
    sessions = make_session_factory(db.engine)
    barrier = threading.Barrier(8)

    def add(index: int) -> None:
        barrier.wait()
        with transaction(sessions) as session:
            add_afi(
                session=session,
                review_id=review_id,
                new=NewAfi(text=f"AFI {index}", author_id="U1"),
                now=NOW,
            )

    threads = [threading.Thread(target=add, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    with transaction(sessions) as session:
        numbers = [afi.number for afi in list_afis(session=session, review_id=review_id)]
    assert numbers == list(range(1, 9))
