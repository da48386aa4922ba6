"""When each milestone's work first happened, for many reviews in one statement: the
scheduler's offer to move the stage on plans from it every pass."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from bot.core.stages import WorkMoments
from storage.models.afis import AfiVoteRound
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.models.self_assessment import ChecklistParticipant, ChecklistRound


def _first(column: InstrumentedAttribute[Any], review_id: InstrumentedAttribute[int]) -> Any:
    """The earliest value of `column` among the review's rows, correlated to Review."""
    return select(func.min(column)).where(review_id == Review.id).scalar_subquery()


def work_moments_of(*, session: Session, review_ids: Sequence[int]) -> dict[int, WorkMoments]:
    """Each review's milestone moments (one statement, however many reviews)."""
    if not review_ids:
        return {}
    rows = session.execute(
        select(
            Review.id,
            _first(ChecklistParticipant.invited_at, ChecklistParticipant.review_id),
            _first(ChecklistRound.closed_at, ChecklistRound.review_id),
            _first(ChecklistRound.closes_on, ChecklistRound.review_id),
            _first(AfiVoteRound.opened_at, AfiVoteRound.review_id),
            _first(AfiVoteRound.closed_at, AfiVoteRound.review_id),
            _first(Action.created_at, Action.review_id),
        ).where(Review.id.in_(review_ids))
    ).all()
    return {
        int(review_id): WorkMoments(
            first_invited=invited,
            self_assessment_closed=closed,
            self_assessment_closes=closes,
            first_vote_opened=vote_opened,
            first_vote_closed=vote_closed,
            first_action=action,
        )
        for review_id, invited, closed, closes, vote_opened, vote_closed, action in rows
    }
