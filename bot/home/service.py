"""Publishing a user's App Home tab, on `app_home_opened` and after they act."""

from __future__ import annotations

from collections.abc import Iterable

from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.afis.home_views import build_vote_home
from bot.core.milestones_done import done_keys
from bot.core.permissions import Operation, permits
from bot.deps import Deps
from bot.home.dm_views import build_dm_overview
from bot.home.lead import lead_sections
from bot.home.views import HomePicture, HomeSection, build_home
from bot.review_access import get_review
from bot.self_assessment.home_views import build_self_assessment_home
from bot.self_assessment.service import key_of, round_status
from bot.slack.blocks import Block
from bot.slack.outbox import Delivery, Kind
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.action_items import owned_action_items
from storage.repositories.afi_votes import open_round, votes_of
from storage.repositories.reminders import done_milestones_of
from storage.repositories.reviews import reviews_for_user, roles_of, snapshot
from storage.repositories.self_assessment import get_round, reviews_answering
from storage.repositories.self_assessment_answers import is_completed, own_sections

HOME = "home"


def self_assessment_sections(session: Session, deps: Deps, *, user_id: str) -> list[HomeSection]:
    """The user's own self-assessment progress in each review they are invited to, found
    under the key computed from their id: nothing stored beside their name says it."""
    found: list[HomeSection] = []
    for review in reviews_answering(session=session, user_id=user_id):
        round_ = get_round(session=session, review_id=review.id)
        checklist = deps.checklists.get(review.checklist_id)
        if round_ is None or checklist is None:
            continue
        status = round_status(session=session, deps=deps, round_=round_)
        key = key_of(deps, round_, user_id)
        saved = {}
        if status.is_open:
            saved = own_sections(session=session, review_id=review.id, respondent_key=key)
        found.append(
            build_self_assessment_home(
                review_id=review.id,
                status=status,
                sections_saved=len(saved),
                sections_total=len(checklist.sections),
                finished=is_completed(session=session, review_id=review.id, respondent_key=key),
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


def gather_picture(session: Session, deps: Deps, *, user_id: str) -> HomePicture:
    """What the user's Home tab (and a command in their DM) shows, in every review they take
    part in whatever workspace hosts it; features add their sections here."""
    reviews = reviews_for_user(session=session, user_id=user_id)
    owned = owned_action_items(session=session, user_id=user_id)
    known = {review.id for review in reviews}
    # An owner may be outside the review team; their action's review still shows.
    for review_id in dict.fromkeys(item.review_id for item in owned):
        review = get_review(session=session, review_id=review_id)
        if review is not None and review_id not in known:
            reviews.append(review)
    recorded = done_milestones_of(session=session, review_ids=[review.id for review in reviews])
    pictures = tuple(snapshot(review) for review in reviews)
    return HomePicture(
        reviews=pictures,
        done={
            picture.id: done_keys(
                stage=picture.stage, recorded=recorded.get(picture.id, frozenset())
            )
            for picture in pictures
        },
        actions=tuple(owned),
        sections=(
            *self_assessment_sections(session, deps, user_id=user_id),
            *vote_sections(session, reviews, user_id=user_id),
            *lead_sections(session, deps, reviews, user_id=user_id),
        ),
    )


def home_picture(deps: Deps, *, user_id: str) -> HomePicture:
    with transaction(deps.sessions) as session:
        return gather_picture(session, deps, user_id=user_id)


def direct_message_overview(deps: Deps, *, user_id: str, command: str) -> tuple[str, list[Block]]:
    """A review command typed in the bot's DM: the person's reviews, self-assessments and
    actions instead of a dead end."""
    picture = home_picture(deps, user_id=user_id)
    return build_dm_overview(picture, user_id=user_id, today=deps.today(), command=command)


def publish_home(client: WebClient, deps: Deps, *, user_id: str) -> None:
    """Publish the user's tab from the latest state."""
    picture = home_picture(deps, user_id=user_id)
    client.views_publish(
        user_id=user_id, view=build_home(picture, user_id=user_id, today=deps.today())
    )


def owe_homes(session: Session, *, team_id: str, users: Iterable[str | None]) -> None:
    """Republish the Home tab of everyone whose picture this change alters (after commit;
    refreshes of one person's tab coalesce, and each shows the state when it is sent)."""
    for user_id in dict.fromkeys(user for user in users if user):
        HOME_KIND.owe(
            session,
            team_id=team_id,
            lane=f"{HOME}:{team_id}:{user_id}",
            payload={"user_id": user_id},
            key=f"{HOME}:{team_id}:{user_id}",
        )


def refresh_home(deps: Deps, *, team_id: str, user_id: str) -> None:
    """Someone opened their Home tab: publish it from the latest state, shortly."""
    with transaction(deps.sessions) as session:
        owe_homes(session, team_id=team_id, users=[user_id])


def deliver_home(delivery: Delivery) -> None:
    publish_home(
        delivery.client,
        delivery.deps,
        user_id=str(delivery.payload["user_id"]),
    )


HOME_KIND = Kind(HOME, deliver_home)
