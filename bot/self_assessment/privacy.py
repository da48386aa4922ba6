"""`/psif forget-me`, the retention purge, and moving keys off the old default secret."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.afis.service import votes_taken_back
from bot.core.nudges import LOOKBACK_DAYS
from bot.deps import Deps
from bot.self_assessment.rules import respondent_key
from storage.db import transaction
from storage.repositories.forgetting import Kept, forget_person, kept_of
from storage.repositories.privacy import (
    forget_ended_snoozes,
    purge_review,
    rekey,
    reviews_due_for_purge,
    reviews_knowing,
    round_salts,
    rounds_to_seal,
    rounds_with_participants,
    seal_answers,
    unlink_answers,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Forgotten:
    """What `/psif forget-me` did: how many self-assessments knew the person, and what of
    them stays because a review still needs it."""

    self_assessments: int
    kept: Kept


def forget_me(deps: Deps, *, user_id: str) -> Forgotten:
    """Forget the user everywhere the bot recorded them, but for what a review still needs
    (see storage.repositories.forgetting): in one transaction, so a failure forgets nothing.

    Their answers stay as anonymous data under random keys; votes they had cast in a vote
    still open are taken back, so its message is brought up to date.
    """
    with transaction(deps.sessions) as session:
        knew = reviews_knowing(session=session, user_id=user_id)
        unlink_answers(
            session=session,
            keys=[
                respondent_key(deps.respondent_secret, salt, user_id)
                for _review_id, salt in round_salts(session=session)
            ],
        )
        reopened = forget_person(
            session=session,
            user_id=user_id,
            keep_reminders_since=deps.today() - timedelta(days=LOOKBACK_DAYS),
        )
        votes_taken_back(session, deps, round_ids=reopened)
        return Forgotten(self_assessments=len(knew), kept=kept_of(session=session, user_id=user_id))


def purge_expired(deps: Deps, *, now: datetime) -> int:
    """Purge the self-assessment personal data of reviews closed more than
    PSIF_RETENTION_DAYS ago, one review per transaction; how many were purged. Snoozes
    that have ended go too."""
    cutoff = now - timedelta(days=deps.settings.retention_days)
    with transaction(deps.sessions) as session:
        forget_ended_snoozes(session=session, today=deps.today())
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
