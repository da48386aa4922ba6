"""Publishing a user's App Home tab, on `app_home_opened` and after they act."""

from __future__ import annotations

from slack_sdk import WebClient

from bot.deps import Deps
from bot.views.home import HomePicture, build_home
from storage.db import transaction
from storage.repositories.actions import actions_owned_by, item_of
from storage.repositories.reviews import get_review, reviews_for_user, snapshot


def home_picture(deps: Deps, *, user_id: str, team_id: str) -> HomePicture:
    """Gather what the user's Home tab shows; features add their sections here."""
    with transaction(deps.sessions) as session:
        reviews = reviews_for_user(session=session, team_id=team_id, user_id=user_id)
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
        )


def publish_home(client: WebClient, deps: Deps, *, user_id: str, team_id: str) -> None:
    picture = home_picture(deps, user_id=user_id, team_id=team_id)
    client.views_publish(
        user_id=user_id, view=build_home(picture, user_id=user_id, today=deps.today())
    )
