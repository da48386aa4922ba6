"""Publishing a user's App Home tab, on `app_home_opened` and after they act."""

from __future__ import annotations

import threading

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.afis.home_views import build_vote_home
from bot.deps import Deps
from bot.home.views import HomePicture, HomeSection, build_home
from bot.reviews.permissions import Operation, permits
from bot.self_assessment.home_views import build_self_assessment_home
from bot.self_assessment.rules import is_closed, respondent_key, respondent_secret
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afi_votes import open_round, votes_of
from storage.repositories.improvement_actions import actions_owned_by, item_of
from storage.repositories.reviews import get_review, reviews_for_user, roles_of, snapshot
from storage.repositories.self_assessment import (
    get_participant,
    get_round,
    own_sections,
    reviews_answering,
)


def self_assessment_sections(
    session: Session, deps: Deps, *, user_id: str, team_id: str
) -> list[HomeSection]:
    """The user's own self-assessment progress in each review they are invited to."""
    found: list[HomeSection] = []
    today = deps.today()
    for review in reviews_answering(session=session, team_id=team_id, user_id=user_id):
        round_ = get_round(session=session, review_id=review.id)
        checklist = deps.checklists.get(review.checklist_id)
        participant = get_participant(session=session, review_id=review.id, user_id=user_id)
        if round_ is None or checklist is None or participant is None:
            continue
        saved = {}
        if not is_closed(round_.closes_on, today):
            key = respondent_key(respondent_secret(deps.settings), round_.key_salt, user_id)
            saved = own_sections(session=session, review_id=review.id, respondent_key=key)
        found.append(
            build_self_assessment_home(
                review_id=review.id,
                closes_on=round_.closes_on,
                today=today,
                sections_saved=len(saved),
                sections_total=len(checklist.sections),
                finished=participant.finished_at is not None,
            )
        )
    return found


def vote_sections(session: Session, reviews: list[Review], *, user_id: str) -> list[HomeSection]:
    """Open votes in the user's reviews where they may vote and have votes left."""
    found: list[HomeSection] = []
    for review in reviews:
        vote_round = open_round(session=session, review_id=review.id)
        if vote_round is None:
            continue
        if not (vote_round.everyone_can_vote or permits(Operation.VOTE, roles_of(review, user_id))):
            continue
        used = sum(votes_of(session=session, round_id=vote_round.id, voter_id=user_id).values())
        home_section = build_vote_home(
            review_id=review.id,
            channel_id=vote_round.channel_id,
            budget=vote_round.budget,
            used=used,
        )
        if home_section is not None:
            found.append(home_section)
    return found


def home_picture(deps: Deps, *, user_id: str, team_id: str) -> HomePicture:
    """Gather what the user's Home tab shows; features add their sections here."""
    with transaction(deps.sessions) as session:
        reviews = reviews_for_user(session=session, user_id=user_id)
        owned = actions_owned_by(session=session, team_id=team_id, user_id=user_id)
        known = {review.id for review in reviews}
        # An owner may be outside the review team; their action's review still shows.
        for review_id in dict.fromkeys(action.review_id for action in owned):
            review = get_review(session=session, review_id=review_id)
            if review is not None and review_id not in known:
                reviews.append(review)
        return HomePicture(
            reviews=tuple(snapshot(review) for review in reviews),
            actions=tuple(item_of(action) for action in owned),
            sections=(
                *self_assessment_sections(session, deps, user_id=user_id, team_id=team_id),
                *vote_sections(session, reviews, user_id=user_id),
            ),
        )


HOME_LOCKS_KEY = "home_publish_locks"
_home_locks_guard = threading.Lock()


def _home_lock(deps: Deps, user_id: str) -> threading.Lock:
    with _home_locks_guard:
        locks = deps.process_helpers.setdefault(HOME_LOCKS_KEY, {})
        assert isinstance(locks, dict)
        lock: threading.Lock = locks.setdefault(user_id, threading.Lock())
        return lock


def publish_home(client: WebClient, deps: Deps, *, user_id: str, team_id: str) -> None:
    """Publish the user's tab from the latest state. One publish per user at a time, so a
    slow one (Slack's Retry-After) can't land after, and undo, a newer one."""
    with _home_lock(deps, user_id):
        picture = home_picture(deps, user_id=user_id, team_id=team_id)
        client.views_publish(
            user_id=user_id, view=build_home(picture, user_id=user_id, today=deps.today())
        )
