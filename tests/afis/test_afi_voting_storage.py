"""Dot voting in the database, on SQLite and PostgreSQL: budgets, caps and repeated clicks
hold under concurrent clicks because constraints and transactions enforce them."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import TypeVar

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from bot.afis.service import close_vote
from bot.core.roles import Role
from bot.core.timeline import Timeline
from bot.core.votes import VoteOutcome, VoteSettings
from bot.review_access import get_review
from storage.db import SessionFactory, make_session_factory, transaction
from storage.models.afis import AfiVote
from storage.repositories.afi_votes import (
    VoteAlreadyOpen,
    VoteClick,
    VoteResult,
    change_vote,
    open_vote,
    reopen_vote,
    round_tally,
)
from storage.repositories.afis import (
    NewAfi,
    add_afi,
    afi_facts,
    list_afis,
    merge_afis,
    prioritised_afis,
    withdraw_afi,
)
from storage.repositories.reviews import NewReview, create_review

from conftest import TestDatabase

NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)
T = TypeVar("T")


def setup_vote(
    db: TestDatabase, *, afis: int = 4, settings: VoteSettings | None = None
) -> tuple[SessionFactory, int, int, list[int]]:
    """A review with `afis` AFIs and an open vote; returns (sessions, review, round, afi ids)."""
    sessions = make_session_factory(db.engine)
    with transaction(sessions) as session:
        review = create_review(
            session=session,
            new=NewReview(
                team_id="T1",
                channel_id="C1",
                host_council="Fife",
                focus="Roads",
                rationale="",
                peer_councils=(),
                peer_rationale="",
                timeline=Timeline(),
                members=(("ULEAD", Role.HOST_LEAD),),
            ),
            actor_id="ULEAD",
            now=NOW,
        )
        afi_ids = [
            add_afi(
                session=session,
                review_id=review.id,
                new=NewAfi(text=f"Area {index}", author_id="ULEAD"),
                now=NOW,
            ).id
            for index in range(1, afis + 1)
        ]
        vote_round = open_vote(
            session=session,
            review_id=review.id,
            channel_id="C1",
            settings=settings or VoteSettings(),
            actor_id="ULEAD",
            now=NOW,
        )
        return sessions, review.id, vote_round.id, afi_ids


def run_together(tasks: list[Callable[[], T]]) -> list[T]:
    """Start every task at the same instant on its own thread; return their results."""
    barrier = threading.Barrier(len(tasks))
    results: list[T | None] = [None] * len(tasks)
    errors: list[BaseException] = []

    def run(index: int, task: Callable[[], T]) -> None:
        barrier.wait()
        try:
            results[index] = task()
        except BaseException as error:  # surfaced below so the test fails loudly
            errors.append(error)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(tasks)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors
    return [result for result in results if result is not None]


def click(
    sessions: SessionFactory,
    round_id: int,
    afi_id: int,
    voter: str,
    key: str,
    *,
    add: bool = True,
    at: float | None = None,
) -> Callable[[], VoteResult]:
    def task() -> VoteResult:
        with transaction(sessions) as session:
            result = change_vote(
                session=session,
                click=VoteClick(round_id, afi_id, voter, key, add, at),
                now=NOW,
            )
        assert result is not None
        return result

    return task


def stored_votes(sessions: SessionFactory, round_id: int) -> list[tuple[str, int]]:
    with transaction(sessions) as session:
        rows = session.execute(
            select(AfiVote.voter_id, AfiVote.afi_id).where(AfiVote.round_id == round_id)
        ).all()
    return [(voter, afi_id) for voter, afi_id in rows]


def test_a_burst_of_clicks_from_forty_voters_never_loses_or_overcounts_a_vote(
    db: TestDatabase,
) -> None:
    sessions, _, round_id, afi_ids = setup_vote(db)
    tasks = []
    for voter_index in range(40):
        voter = f"U{voter_index:03d}"
        # Five different clicks (one AFI twice) against a budget of 3 and a cap of 1,
        # and the first click delivered twice, as a retry would.
        targets = [*afi_ids, afi_ids[0]]
        for click_index, afi_id in enumerate(targets):
            tasks.append(click(sessions, round_id, afi_id, voter, f"{voter}:{click_index}"))
        tasks.append(click(sessions, round_id, afi_ids[0], voter, f"{voter}:0"))
    results = run_together(tasks)

    outcomes = Counter(result.outcome for result in results)
    stored = stored_votes(sessions, round_id)
    assert len(stored) == outcomes[VoteOutcome.ADDED]
    per_voter = Counter(voter for voter, _ in stored)
    assert set(per_voter.values()) == {3}, "every voter spends exactly the budget of 3"
    assert max(Counter(stored).values()) == 1, "nobody has two votes on one AFI (cap 1)"
    assert outcomes[VoteOutcome.REPEATED_CLICK] + outcomes[VoteOutcome.CAP_REACHED] >= 40


def test_simultaneous_clicks_on_one_afi_stop_at_the_per_afi_cap(db: TestDatabase) -> None:
    sessions, _, round_id, afi_ids = setup_vote(db, settings=VoteSettings(budget=5, per_afi_cap=2))
    results = run_together(
        [click(sessions, round_id, afi_ids[0], "UVOTER", f"k{index}") for index in range(6)]
    )
    outcomes = Counter(result.outcome for result in results)
    assert outcomes == {VoteOutcome.ADDED: 2, VoteOutcome.CAP_REACHED: 4}
    assert stored_votes(sessions, round_id) == [("UVOTER", afi_ids[0])] * 2


def test_simultaneous_removes_take_back_only_the_votes_that_exist(db: TestDatabase) -> None:
    sessions, _, round_id, afi_ids = setup_vote(db, settings=VoteSettings(budget=3, per_afi_cap=3))
    run_together([click(sessions, round_id, afi_ids[0], "UV", f"add{i}") for i in range(2)])
    results = run_together(
        [click(sessions, round_id, afi_ids[0], "UV", f"rm{i}", add=False) for i in range(5)]
    )
    outcomes = Counter(result.outcome for result in results)
    assert outcomes == {VoteOutcome.REMOVED: 2, VoteOutcome.NOTHING_TO_REMOVE: 3}
    assert stored_votes(sessions, round_id) == []


def test_the_database_rejects_a_vote_beyond_the_budget_even_without_the_repository(
    db: TestDatabase,
) -> None:
    sessions, _, round_id, afi_ids = setup_vote(db)
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        session.add(
            AfiVote(
                round_id=round_id,
                budget=3,
                per_afi_cap=1,
                afi_id=afi_ids[0],
                voter_id="UX",
                slot=4,
                afi_slot=1,
                cast_at=NOW,
            )
        )
    with pytest.raises(IntegrityError), transaction(sessions) as session:
        # Claiming a bigger budget than the round's breaks the composite foreign key.
        session.add(
            AfiVote(
                round_id=round_id,
                budget=9,
                per_afi_cap=1,
                afi_id=afi_ids[0],
                voter_id="UX",
                slot=4,
                afi_slot=1,
                cast_at=NOW,
            )
        )


def test_closing_during_a_burst_counts_exactly_the_votes_stored_before_it(
    db: TestDatabase,
) -> None:
    sessions, review_id, round_id, afi_ids = setup_vote(db)

    def close() -> VoteResult:
        with transaction(sessions) as session:
            review = get_review(session=session, review_id=review_id)
            assert review is not None
            closed = close_vote(session=session, review=review, top_n=2, actor_id="ULEAD", now=NOW)
            assert closed is not None
        return VoteResult(VoteOutcome.VOTE_CLOSED)

    tasks = [
        click(sessions, round_id, afi_ids[index % 4], f"U{index:03d}", f"k{index}")
        for index in range(30)
    ]
    run_together([*tasks[:15], close, *tasks[15:]])
    stored = stored_votes(sessions, round_id)
    with transaction(sessions) as session:
        afis = list_afis(session=session, review_id=review_id)
        ranked_total = sum(round_tally(session=session, round_id=round_id).votes_by_afi.values())
        late = session.scalar(
            select(func.count()).select_from(AfiVote).where(AfiVote.round_id == round_id)
        )
    assert ranked_total == len(stored) == late
    assert all(afi.rank is not None for afi in afis)


def test_close_ranks_with_ties_and_prioritises_the_top_n(db: TestDatabase) -> None:
    sessions, review_id, round_id, afi_ids = setup_vote(db, afis=5)
    votes = {afi_ids[0]: 3, afi_ids[1]: 2, afi_ids[2]: 2, afi_ids[3]: 1}
    for afi_id, count in votes.items():
        for index in range(count):
            click(sessions, round_id, afi_id, f"U{afi_id}-{index}", "k")()
    with transaction(sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        closed = close_vote(session=session, review=review, top_n=2, actor_id="ULEAD", now=NOW)
        assert closed is not None
        _, ranked = closed
        assert [(item.number, item.rank, item.tied) for item in ranked] == [
            (1, 1, False),
            (2, 2, True),
            (3, 2, True),
            (4, 4, False),
            (5, 5, False),
        ]
        top = prioritised_afis(session=session, review_id=review_id)
        assert [afi.number for afi in top] == [1, 2, 3]
        facts = afi_facts(session=session, review_id=review_id)
        assert (facts.afi_count, facts.prioritised_afi_count, facts.vote_open) == (5, 3, False)
    assert click(sessions, round_id, afi_ids[4], "ULATE", "k")().outcome is VoteOutcome.VOTE_CLOSED


def test_reopening_keeps_the_votes_and_only_one_vote_is_open_at_a_time(db: TestDatabase) -> None:
    sessions, review_id, round_id, afi_ids = setup_vote(db)
    click(sessions, round_id, afi_ids[0], "UA", "k1")()
    with transaction(sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        with pytest.raises(VoteAlreadyOpen):
            open_vote(
                session=session,
                review_id=review.id,
                channel_id="C1",
                settings=VoteSettings(),
                actor_id="ULEAD",
                now=NOW,
            )
        assert reopen_vote(session=session, review_id=review_id) is None
        close_vote(session=session, review=review, top_n=5, actor_id="ULEAD", now=NOW)
        reopened = reopen_vote(session=session, review_id=review_id)
        assert reopened is not None and reopened.id == round_id
    assert click(sessions, round_id, afi_ids[1], "UA", "k2")().outcome is VoteOutcome.ADDED
    assert [voter for voter, _ in stored_votes(sessions, round_id)] == ["UA", "UA"]


def test_merging_carries_votes_over_without_exceeding_the_cap(db: TestDatabase) -> None:
    sessions, review_id, round_id, afi_ids = setup_vote(db, settings=VoteSettings(budget=3))
    click(sessions, round_id, afi_ids[0], "UBOTH", "k1")()
    click(sessions, round_id, afi_ids[1], "UBOTH", "k2")()
    click(sessions, round_id, afi_ids[0], "USOURCE", "k1")()
    with transaction(sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        result = merge_afis(
            session=session,
            review_id=review_id,
            source_id=afi_ids[0],
            target_id=afi_ids[1],
            now=NOW,
        )
        assert result is not None
        assert (result.votes_moved, result.votes_returned) == (1, 1)
        assert [afi.number for afi in list_afis(session=session, review_id=review_id)] == [2, 3, 4]
    assert sorted(stored_votes(sessions, round_id)) == [
        ("UBOTH", afi_ids[1]),
        ("USOURCE", afi_ids[1]),
    ]
    assert click(sessions, round_id, afi_ids[0], "UNEW", "k")().outcome is VoteOutcome.NOT_ON_BALLOT


def test_withdrawing_gives_the_votes_back(db: TestDatabase) -> None:
    sessions, review_id, round_id, afi_ids = setup_vote(db)
    click(sessions, round_id, afi_ids[0], "UA", "k1")()
    with transaction(sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None
        assert withdraw_afi(session=session, review_id=review_id, afi_id=afi_ids[0], now=NOW)
        assert (
            withdraw_afi(session=session, review_id=review_id, afi_id=afi_ids[0], now=NOW) is None
        )
    assert click(sessions, round_id, afi_ids[1], "UA", "k2")().outcome is VoteOutcome.ADDED
    assert stored_votes(sessions, round_id) == [("UA", afi_ids[1])]


def test_a_double_click_counts_once_even_when_both_clicks_arrive_together(
    db: TestDatabase,
) -> None:
    sessions, _, round_id, afi_ids = setup_vote(db, settings=VoteSettings(budget=5, per_afi_cap=3))
    results = run_together(
        [
            click(sessions, round_id, afi_ids[0], "UV", "t1", at=1000.0),
            click(sessions, round_id, afi_ids[0], "UV", "t2", at=1000.2),
        ]
    )
    assert Counter(r.outcome for r in results) == {
        VoteOutcome.ADDED: 1,
        VoteOutcome.REPEATED_CLICK: 1,
    }
    # A deliberate second vote a moment later still counts, and so does a quick click
    # on a different area.
    assert click(sessions, round_id, afi_ids[0], "UV", "t3", at=1001.5)().outcome is (
        VoteOutcome.ADDED
    )
    assert click(sessions, round_id, afi_ids[1], "UV", "t4", at=1001.6)().outcome is (
        VoteOutcome.ADDED
    )
    removals = run_together(
        [
            click(sessions, round_id, afi_ids[0], "UV", "r1", add=False, at=1005.0),
            click(sessions, round_id, afi_ids[0], "UV", "r2", add=False, at=1005.1),
        ]
    )
    assert Counter(r.outcome for r in removals) == {
        VoteOutcome.REMOVED: 1,
        VoteOutcome.REPEATED_CLICK: 1,
    }
    assert Counter(afi for _, afi in stored_votes(sessions, round_id)) == {
        afi_ids[0]: 1,
        afi_ids[1]: 1,
    }
