"""Forgetting people: `/psif forget-me` and the retention purge, across every feature's
records (see storage.repositories.forgetting for what each table keeps and why)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.afis.service import votes_taken_back
from bot.core.nudges import LOOKBACK_DAYS
from bot.core.responses import respondent_key
from bot.deps import Deps
from bot.privacy import views
from storage.db import transaction
from storage.repositories.forgetting import (
    forget_ended_snoozes,
    forget_person,
    kept_of,
    purge_review,
    reviews_due_for_purge,
    reviews_knowing,
)
from storage.repositories.self_assessment import round_salts
from storage.repositories.self_assessment_answers import unlink_answers

logger = logging.getLogger(__name__)


def forget_me(deps: Deps, *, user_id: str) -> str:
    """`/psif forget-me`, confirmed: forget the user everywhere but for what a review still
    needs, in one transaction so a failure forgets nothing. Their answers stay anonymous
    under random keys; their votes in a vote still open are taken back."""
    with transaction(deps.sessions) as session:
        knew = reviews_knowing(session=session, user_id=user_id)
        salts = round_salts(session=session)
        keys = [respondent_key(deps.respondent_secret, salt, user_id) for _review, salt in salts]
        unlink_answers(session=session, keys=keys)
        reopened = forget_person(
            session=session,
            user_id=user_id,
            keep_reminders_since=deps.today() - timedelta(days=LOOKBACK_DAYS),
        )
        votes_taken_back(session, deps, round_ids=reopened)
        return views.forgotten_reply(len(knew), kept_of(session=session, user_id=user_id))


def purge_expired(deps: Deps, *, now: datetime) -> int:
    """Purge the self-assessment personal data of reviews closed over PSIF_RETENTION_DAYS ago,
    a review per transaction, and ended snoozes; how many reviews were purged."""
    cutoff = now - timedelta(days=deps.settings.retention_days)
    with transaction(deps.sessions) as session:
        forget_ended_snoozes(session=session, today=deps.today())
        due = reviews_due_for_purge(session=session, closed_before=cutoff)
    for review_id in due:
        with transaction(deps.sessions) as session:
            purge_review(session=session, review_id=review_id)
        logger.info("Purged the self-assessment personal data of review %s", review_id)
    return len(due)
