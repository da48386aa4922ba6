"""Gather what the stage gap checks need to know about a review from the features' stores,
and apply their rules (the peer councils' counts, the fieldwork and reporting gaps)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from bot.core.roles import Role
from bot.core.stages import ReviewProgress, Stage
from bot.report.service import fieldwork_gaps
from bot.team.peer_rules import peer_facts
from storage.models.reviews import Review
from storage.repositories.afis import afi_facts
from storage.repositories.improvement_actions import action_counts
from storage.repositories.report import fieldwork_facts
from storage.repositories.reviews import members_with_role, timeline_of
from storage.repositories.self_assessment import self_assessment_facts
from storage.repositories.team import peer_councils_of


def review_progress(*, session: Session, review: Review, today: date) -> ReviewProgress:
    """The progress facts known for this review; feature modules add theirs as they land."""
    action_count, open_action_count = action_counts(session=session, review_id=review.id)
    afis = afi_facts(session=session, review_id=review.id)
    return ReviewProgress(
        timeline=timeline_of(review),
        today=today,
        **peer_council_facts(review),
        has_is_lead=bool(members_with_role(review, Role.IS_LEAD)),
        has_host_lead=bool(members_with_role(review, Role.HOST_LEAD)),
        **self_assessment_facts(session=session, review_id=review.id),
        action_count=action_count,
        open_action_count=open_action_count,
        afi_count=afis.afi_count,
        prioritised_afi_count=afis.prioritised_afi_count,
        vote_open=afis.vote_open,
        extra_gaps=tuple(
            fieldwork_gaps(
                Stage(review.stage), fieldwork_facts(session=session, review_id=review.id)
            )
        ),
    )


def peer_council_facts(review: Review) -> dict[str, Any]:
    """The stage check's peer facts, as ReviewProgress fields."""
    facts = peer_facts(
        peer_councils_of(review),
        [
            m.organisation
            for m in review.members
            if m.role == Role.PEER_REVIEWER.value and m.organisation
        ],
    )
    return {
        "peer_council_count": facts.councils,
        "peer_reviewers_named": sum(m.role == Role.PEER_REVIEWER.value for m in review.members),
        "peer_councils_agreed": facts.agreed,
        "peer_councils_declined": facts.declined,
        "agreed_without_reviewers": facts.agreed_without_reviewers,
    }
