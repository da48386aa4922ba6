"""`/psif forget-me`, the retention purge, and moving keys off the old default secret."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from bot.deps import Deps
from bot.self_assessment.rules import respondent_key
from storage.db import transaction
from storage.repositories.privacy import (
    forget_in_review,
    purge_review,
    rekey,
    reviews_due_for_purge,
    reviews_knowing,
    rounds_to_seal,
    rounds_with_participants,
    seal_answers,
)
from storage.repositories.self_assessment import get_round

logger = logging.getLogger(__name__)


def forget_me(deps: Deps, *, user_id: str) -> int:
    """Remove the user from every self-assessment's records; how many reviews knew them.

    Their answers stay as anonymous data under a random key, and everything that named them
    in connection with a self-assessment (invitations, reminders, stakeholder role) goes.
    """
    with transaction(deps.sessions) as session:
        review_ids = reviews_knowing(session=session, user_id=user_id)
        for review_id in review_ids:
            round_ = get_round(session=session, review_id=review_id)
            if round_ is None:
                continue
            forget_in_review(
                session=session,
                review_id=review_id,
                user_id=user_id,
                respondent_key=respondent_key(deps.respondent_secret, round_.key_salt, user_id),
            )
    return len(review_ids)


def purge_expired(deps: Deps, *, now: datetime) -> int:
    """Purge the self-assessment personal data of reviews closed more than
    PSIF_RETENTION_DAYS ago, one review per transaction; how many were purged."""
    cutoff = now - timedelta(days=deps.settings.retention_days)
    with transaction(deps.sessions) as session:
        due = reviews_due_for_purge(session=session, closed_before=cutoff)
    for review_id in due:
        with transaction(deps.sessions) as session:
            purge_review(session=session, review_id=review_id)
        logger.info("Purged the self-assessment personal data of review %s", review_id)
    return len(due)


def seal_closed_rounds(deps: Deps) -> int:
    """Seal the answers of rounds that closed (by date, early or with results shown) and
    are not sealed yet; how many were sealed."""
    with transaction(deps.sessions) as session:
        rounds = rounds_to_seal(session=session, today=deps.today())
        for round_ in rounds:
            seal_answers(session=session, round_=round_, now=deps.now())
    return len(rounds)


def move_keys_off_signing_secret(deps: Deps) -> int:
    """Re-key answers saved under keys derived from the Slack signing secret.

    Until this release the signing secret was the default respondent secret, which anyone
    holding it could use to recompute keys. Each invited person whose answers sit under
    that old key is moved to their key under the respondent secret. Safe to run at every
    start: once moved, nothing matches. Returns how many people were moved.
    """
    signing = deps.settings.slack_signing_secret.get_secret_value().encode()
    if signing == deps.respondent_secret:
        return 0
    moved = 0
    with transaction(deps.sessions) as session:
        for review_id, salt, users in rounds_with_participants(session=session):
            for user_id in users:
                if rekey(
                    session=session,
                    review_id=review_id,
                    old_key=respondent_key(signing, salt, user_id),
                    new_key=respondent_key(deps.respondent_secret, salt, user_id),
                ):
                    moved += 1
    if moved:
        logger.warning(
            "Moved the self-assessment answers of %s people off keys derived from the signing "
            "secret onto PSIF_RESPONDENT_SECRET.",
            moved,
        )
    return moved
