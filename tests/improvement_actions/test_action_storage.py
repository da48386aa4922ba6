"""Action storage on SQLite and PostgreSQL: numbering and status changes under concurrency."""

from __future__ import annotations

import threading
from collections.abc import Callable
from datetime import date

from bot.core.actions import ActionStatus
from storage.db import SessionFactory, make_session_factory, transaction
from storage.repositories.improvement_actions import (
    ActionFields,
    action_counts,
    add_action,
    change_status,
    get_action,
    review_actions,
    status_history,
)

from action_helpers import NOW, seed_review_with_afis
from conftest import TestDatabase

FIELDS = ActionFields(key_action="Do it", owner_id="U2", due=date(2027, 1, 15))


def run_together(count: int, work: Callable[[int], object]) -> None:
    barrier = threading.Barrier(count)

    def start(index: int) -> None:
        barrier.wait()
        work(index)

    threads = [threading.Thread(target=start, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()


def add(sessions: SessionFactory, review_id: int) -> int:
    with transaction(sessions) as session:
        return add_action(
            session=session, review_id=review_id, fields=FIELDS, actor_id="U1", now=NOW
        ).id


def test_actions_are_numbered_per_review_without_gaps_under_concurrency(
    db: TestDatabase,
) -> None:
    sessions = make_session_factory(db.engine)
    review_id = seed_review_with_afis(sessions, with_afis=False).review_id
    run_together(8, lambda _: add(sessions, review_id))
    with transaction(sessions) as session:
        numbers = [a.number for a in review_actions(session=session, review_id=review_id)]
        assert action_counts(session=session, review_id=review_id) == (8, 8)
    assert numbers == list(range(1, 9))


def test_two_people_marking_done_at_once_record_one_change(db: TestDatabase) -> None:
    sessions = make_session_factory(db.engine)
    review_id = seed_review_with_afis(sessions, with_afis=False).review_id
    action_id = add(sessions, review_id)
    results: list[bool] = []

    def mark_done(index: int) -> None:
        with transaction(sessions) as session:
            action = get_action(session=session, action_id=action_id)
            assert action is not None
            results.append(
                change_status(
                    session=session,
                    action=action,
                    expected=ActionStatus.OPEN,
                    target=ActionStatus.DONE,
                    actor_id=f"U{index}",
                    now=NOW,
                )
            )

    run_together(4, mark_done)
    assert sorted(results) == [False, False, False, True]
    with transaction(sessions) as session:
        history = status_history(session=session, action_id=action_id)
        assert [(h.from_status, h.to_status) for h in history] == [
            (ActionStatus.OPEN, ActionStatus.DONE)
        ]
        assert action_counts(session=session, review_id=review_id) == (1, 0)
