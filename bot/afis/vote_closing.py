"""Closing a dot vote (by a lead, or by the scheduler at its set time) and tie-breaks.

Each use case owns its transaction (`close_open_vote` runs in its caller's) and owes the
channel the result through the outbox in it, so a result is posted once however often a
close is attempted.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime

from sqlalchemy.orm import Session

from bot.afis.ranking import cut_off_tie, rank_afis, settle_tie
from bot.afis.result_views import build_tie_break_result, build_vote_result
from bot.afis.tally import owe_tally
from bot.afis.vote_service import GONE, owe_first_post
from bot.core.permissions import Operation, permits, refusal
from bot.core.votes import DEFAULT_TOP_N, RankedAfi
from bot.deps import Deps
from bot.review_access import get_review
from bot.slack.outbox import Undelivered, owe_message
from storage.db import transaction
from storage.models.afis import AfiVoteRound
from storage.models.reviews import Review
from storage.repositories.afi_tie_breaks import store_tie_break, tied_afi_votes
from storage.repositories.afi_vote_closing import active_afi_votes, close_round, store_ranking
from storage.repositories.afi_vote_rounds import (
    open_tie_break,
    prioritised_numbers,
    rounds_due_to_close,
)
from storage.repositories.afi_votes import (
    VoteAlreadyOpen,
    get_round,
    latest_round,
    open_round,
    round_tally,
)
from storage.repositories.afis import afi_item, list_afis
from storage.repositories.reviews import record_audit, roles_of


def close_vote(
    *, session: Session, review: Review, top_n: int, actor_id: str, now: datetime
) -> tuple[AfiVoteRound, list[RankedAfi]] | None:
    """Close the open round, rank the active AFIs and mark the prioritised ones.

    None if no round is open. Closing locks the round, so votes still in flight finish first
    and later ones see the round closed.
    """
    vote_round = close_round(
        session=session, review_id=review.id, top_n=top_n, actor_id=actor_id, now=now
    )
    if vote_round is None:
        return None
    if vote_round.tie_break_of is not None:
        votes = round_tally(session=session, round_id=vote_round.id).votes_by_afi
        ranked = _apply_tie_break(session=session, vote_round=vote_round, votes_by_afi=votes)
    else:
        ranked = _apply_ranking(
            session=session, review_id=review.id, round_id=vote_round.id, top_n=top_n
        )
    record_audit(
        session=session,
        review=review,
        actor_id=actor_id,
        action="afi.vote.closed",
        details={
            "round": vote_round.id,
            "top_n": top_n,
            "prioritised": [item.number for item in ranked if item.prioritised],
        },
        now=now,
    )
    session.flush()
    return vote_round, ranked


def _apply_ranking(
    *, session: Session, review_id: int, round_id: int, top_n: int
) -> list[RankedAfi]:
    """Store each active AFI's rank and prioritisation from the round's votes."""
    totals = active_afi_votes(session=session, review_id=review_id, round_id=round_id)
    ranked = rank_afis(totals, top_n=top_n)
    store_ranking(session=session, review_id=review_id, ranked=ranked)
    return ranked


def _apply_tie_break(
    *, session: Session, vote_round: AfiVoteRound, votes_by_afi: dict[int, int]
) -> list[RankedAfi]:
    """Settle the tie: the tie-break's winners stay prioritised, the others no longer are.
    Ranks continue from the tied rank ("=3rd" becomes 3rd, 4th …). Returns the tied AFIs'
    new ranking."""
    tied_rank, totals = tied_afi_votes(
        session=session, vote_round=vote_round, votes_by_afi=votes_by_afi
    )
    if not totals:
        return []
    ranked = settle_tie(totals, places=vote_round.tie_places or 1)
    settled = [replace(entry, rank=tied_rank + entry.rank - 1) for entry in ranked]
    store_tie_break(session=session, review_id=vote_round.review_id, settled=settled)
    return settled


def close_open_vote(
    session: Session,
    deps: Deps,
    review: Review,
    *,
    top_n: int | None,
    closer: str | None,
    response_url: str | None = None,
    only_round: int | None = None,
) -> bool:
    """Close the review's open vote (`only_round`, if given) in the caller's transaction and
    owe the channel its result, once; False if no such vote is open. `closer` None: closed
    at its set time."""
    vote_round = open_round(session=session, review_id=review.id)
    if vote_round is None or only_round not in (None, vote_round.id):
        return False
    chosen = top_n or vote_round.top_n or DEFAULT_TOP_N
    closed = close_vote(
        session=session,
        review=review,
        top_n=chosen,
        actor_id=closer or "scheduler",
        now=deps.now(),
    )
    if closed is None:
        return False
    vote_round, ranked = closed
    owe_tally(
        session,
        team_id=review.team_id,
        round_id=vote_round.id,
        interval=deps.settings.afi_tally_interval_seconds,
    )
    if vote_round.tie_break_of is not None:
        messages = build_tie_break_result(
            ranked,
            prioritised=prioritised_numbers(session=session, review_id=review.id),
            closed_by=closer,
        )
    else:
        items = {
            afi.number: afi_item(afi) for afi in list_afis(session=session, review_id=review.id)
        }
        messages = build_vote_result(
            ranked,
            items,
            top_n=chosen,
            closed_by=closer,
            round_id=vote_round.id,
            tie=cut_off_tie(ranked, top_n=chosen),
        )
    undelivered: Undelivered | None = (
        {
            "user_id": closer,
            "response_url": response_url,
            "text": "The vote is closed and the ranking saved, but I couldn't post it.",
        }
        if closer
        else None
    )
    for text, blocks in messages:
        owe_message(
            session,
            team_id=review.team_id,
            channel=vote_round.channel_id,
            text=text,
            blocks=blocks,
            if_undelivered=undelivered,
        )
    return True


def close_due_votes(deps: Deps) -> int:
    """The scheduler's job: close every vote whose closing time has passed. Safe to run
    twice or in two processes at once: closing locks the round and a closed one is left."""
    with transaction(deps.sessions) as session:
        due = [(r.id, r.review_id) for r in rounds_due_to_close(session=session, now=deps.now())]
    closed = 0
    for round_id, review_id in due:
        with transaction(deps.sessions) as session:
            review = get_review(session=session, review_id=review_id)
            if (
                review is not None
                and review.closed_at is None
                and close_open_vote(
                    session, deps, review, top_n=None, closer=None, only_round=round_id
                )
            ):
                closed += 1
    return closed


def start_tie_break(deps: Deps, *, round_id: int, user_id: str, response_url: str | None) -> str:
    """Run a tie-break on the areas tied across the closed round's cut-off."""
    with transaction(deps.sessions) as session:
        settled = get_round(session=session, round_id=round_id)
        review = get_review(session=session, review_id=settled.review_id) if settled else None
        if settled is None or review is None or review.closed_at is not None:
            return GONE
        if not permits(Operation.RUN_VOTE, roles_of(review, user_id)):
            return refusal(Operation.RUN_VOTE)
        if latest_round(session=session, review_id=review.id) is not settled:
            return "A later vote has been held since; this tie-break is no longer needed."
        ranked = [
            RankedAfi(afi.number, 0, afi.rank, False, afi.prioritised)
            for afi in list_afis(session=session, review_id=review.id)
            if afi.rank is not None
        ]
        ranked.sort(key=lambda entry: (entry.rank, entry.number))
        tie = cut_off_tie(ranked, top_n=settled.top_n or DEFAULT_TOP_N)
        if tie is None:
            return "There's no tie at the cut-off any more, so there's nothing to break."
        try:
            vote_round = open_tie_break(
                session=session,
                review=review,
                settled=settled,
                tie=tie,
                actor_id=user_id,
                now=deps.now(),
            )
        except VoteAlreadyOpen:
            return "A vote is already open in this channel."
        owe_first_post(session, deps, review, vote_round, user_id, response_url)
    return "The tie-break is open: its voting message is being posted in the channel."
