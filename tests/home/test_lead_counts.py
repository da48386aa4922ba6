"""A lead's Home part reads every review's counts in one statement (`lead_counts`): it must
say what the features' own reads say, on each database."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import update

from bot.afis.service import vote_counts
from bot.core.actions import ActionStatus
from bot.core.checklist import Answer
from bot.core.roles import Role
from bot.core.votes import VoteSettings
from bot.deps import Deps
from bot.self_assessment.service import checklist_status
from storage.db import transaction
from storage.models.afis import AfiVote
from storage.models.improvement_actions import Action
from storage.models.self_assessment import ChecklistRound
from storage.repositories.afi_votes import close_round, open_vote
from storage.repositories.improvement_actions import unfinished_and_overdue
from storage.repositories.reviews import lead_counts
from storage.repositories.survey import add_links, withdraw_links

from factories import (
    NOW,
    add_afis,
    add_checklist_answers,
    add_improvement_action,
    make_review,
    mark_afi_prioritised,
    mark_afi_withdrawn,
)
from statement_helpers import CHECKLIST

TODAY = date(2026, 12, 1)


def _votes(deps: Deps, *, round_id: int, afi_ids: list[int], voters: list[str]) -> None:
    with transaction(deps.sessions) as session:
        for voter in voters:
            for slot, afi_id in enumerate(afi_ids, start=1):
                session.add(
                    AfiVote(
                        round_id=round_id,
                        budget=3,
                        per_afi_cap=1,
                        afi_id=afi_id,
                        voter_id=voter,
                        slot=slot,
                        afi_slot=1,
                        cast_at=NOW,
                    )
                )


def test_one_read_of_every_led_review_says_what_each_feature_reads(deps: Deps) -> None:
    settings = VoteSettings(budget=3, per_afi_cap=1)
    with transaction(deps.sessions) as session:
        lead = (("UHOST", Role.HOST_LEAD),)
        full = make_review(session, members=lead, channel="CFULL")
        empty = make_review(session, members=lead, channel="CEMPTY")
        voting = make_review(session, members=lead, channel="CVOTING")
        full_id, empty_id, voting_id = full.id, empty.id, voting.id
        afis = add_afis(session, review_id=full_id, texts=["a", "b", "c", "d"], author_id="UHOST")
        mark_afi_withdrawn(session, afi_id=afis[3].id)
        mark_afi_prioritised(session, afi_id=afis[0].id, rank=1)
        voting_afis = add_afis(session, review_id=voting_id, texts=["x", "y"], author_id="UHOST")
        for due, status in (
            (TODAY - timedelta(days=3), ActionStatus.OPEN),
            (TODAY - timedelta(days=3), ActionStatus.DONE),
            (TODAY - timedelta(days=1), ActionStatus.IN_PROGRESS),
            (TODAY, ActionStatus.OPEN),
            (TODAY + timedelta(days=9), ActionStatus.DROPPED),
        ):
            action = add_improvement_action(
                session, review_id=full_id, key_action="Step", owner_id="UOWNER", due=due
            )
            session.execute(update(Action).where(Action.id == action.id).values(status=status))
        add_checklist_answers(
            session,
            review=full,
            checklist=CHECKLIST,
            answers=[Answer.AGREE] * 3,
            secret=deps.respondent_secret,
        )
        session.execute(
            update(ChecklistRound)
            .where(ChecklistRound.review_id == full_id)
            .values(results_released_at=NOW)
        )
        add_links(session=session, review_id=full_id, hashes=["h1", "h2", "h3"], source="web")
        withdraw_links(session=session, hashes=["h2"])
        first = open_vote(
            session=session,
            review_id=full_id,
            channel_id="CFULL",
            settings=settings,
            actor_id="UHOST",
            now=NOW,
        )
        first_id = first.id
        still_open = open_vote(
            session=session,
            review_id=voting_id,
            channel_id="CVOTING",
            settings=settings,
            actor_id="UHOST",
            now=NOW,
        )
        still_open_id = still_open.id
    _votes(deps, round_id=first_id, afi_ids=[afis[0].id, afis[1].id], voters=["UA", "UB"])
    with transaction(deps.sessions) as session:
        close_round(session=session, review_id=full_id, top_n=1, actor_id="UHOST", now=NOW)
        second = open_vote(
            session=session,
            review_id=full_id,
            channel_id="CFULL",
            settings=settings,
            actor_id="UHOST",
            now=NOW,
        )
        second_id = second.id
    _votes(deps, round_id=second_id, afi_ids=[afis[2].id], voters=["UC"])
    _votes(deps, round_id=still_open_id, afi_ids=[a.id for a in voting_afis], voters=["UD", "UE"])
    with transaction(deps.sessions) as session:
        close_round(session=session, review_id=full_id, top_n=1, actor_id="UHOST", now=NOW)

    review_ids = [full_id, empty_id, voting_id]
    with transaction(deps.sessions) as session:
        counts = lead_counts(session=session, review_ids=review_ids, today=TODAY)
        assert sorted(counts) == sorted(review_ids)
        for review_id in review_ids:
            found = counts[review_id]
            afi_facts, tally, vote_open = vote_counts(session=session, review_id=review_id)
            assert (found.afis, found.prioritised) == (
                afi_facts.afi_count,
                afi_facts.prioritised_afi_count,
            )
            assert found.vote_open == (vote_open if tally is not None else None)
            assert (found.votes, found.voters) == ((tally.votes, tally.voters) if tally else (0, 0))
            assert (found.unfinished_actions, found.overdue_actions) == unfinished_and_overdue(
                session=session, review_id=review_id, today=TODAY
            )
            survey = checklist_status(session=session, deps=deps, review_id=review_id)
            if survey is None:
                assert found.self_assessment_closes is None
                continue
            assert found.self_assessment_closes == survey.closes_on
            assert found.self_assessment_closed_early == survey.closed_early
            assert found.results_released == survey.released
            assert (found.invited, found.finished) == (
                survey.completion.invited,
                survey.completion.finished,
            )
        assert lead_counts(session=session, review_ids=[], today=TODAY) == {}

    # What the features read, spelled out, so the comparison above is not of empty things.
    full_counts, voting_counts = counts[full_id], counts[voting_id]
    assert (full_counts.afis, full_counts.prioritised) == (3, 1)
    assert (full_counts.vote_open, full_counts.votes, full_counts.voters) == (False, 1, 1)
    assert (full_counts.unfinished_actions, full_counts.overdue_actions) == (3, 2)
    assert (full_counts.invited, full_counts.finished) == (3 + 2, 3)
    assert full_counts.self_assessment_closed_early and full_counts.results_released
    assert (voting_counts.vote_open, voting_counts.votes, voting_counts.voters) == (True, 4, 2)
    assert counts[empty_id].vote_open is None and counts[empty_id].self_assessment_closes is None
