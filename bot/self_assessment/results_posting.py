"""Posting the self-assessment results to the review's channel: for `/psif results` and
the "Post the results" button on the channel's note that it closed.

Permission first, then the channel, and only then the results: their first loading closes
the self-assessment for good. The request only owes the post; the outbox makes it
(results_delivery.py, results_chart.py).
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.core.permissions import Operation, permits, refusal_naming
from bot.core.stages import closed_note
from bot.deps import Deps
from bot.review_access import (
    get_review,
    readable_channel_review,
    require_permission,
    require_private_channel,
)
from bot.self_assessment.results import NoResults, load_results
from bot.self_assessment.results_delivery import owe_results_post
from storage.db import transaction
from storage.repositories.reviews import roles_of


def post_results_for(
    client: WebClient, deps: Deps, *, review_id: int, user_id: str, team_id: str
) -> str | None:
    """The button: check who pressed it and where, then post; what went wrong, if anything."""
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        if review is None:
            return "That review no longer exists."
        if not permits(Operation.SEE_RESULTS, roles_of(review, user_id)):
            return refusal_naming(review, Operation.SEE_RESULTS)
        channel_id = review.channel_id
    try:
        answers = _post_permitted(
            client,
            deps,
            review_id=review_id,
            channel_id=channel_id,
            user_id=user_id,
            team_id=team_id,
        )
    except Refusal as refusal:
        return refusal.message
    return "\n".join(answers) or None


def post_channel_results(
    slack: Callable[[], WebClient], deps: Deps, *, channel_id: str, user_id: str, team_id: str
) -> list[str]:
    """`/psif results`: post the channel review's results there (a closed review's stay
    readable); what to tell the person who asked, in order. `slack` gives the Web API client
    once the person may see the results (a command acknowledges then, so a refusal goes back
    in its acknowledgement)."""
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SEE_RESULTS)
        review_id = review.id
    return _post_permitted(
        slack(),
        deps,
        review_id=review_id,
        channel_id=channel_id,
        user_id=user_id,
        team_id=team_id,
        meanwhile=" Meanwhile `/psif results export` sends you the totals by direct message.",
    )


def _post_permitted(
    client: WebClient,
    deps: Deps,
    *,
    review_id: int,
    channel_id: str,
    user_id: str,
    team_id: str,
    meanwhile: str = "",
) -> list[str]:
    """For someone who may see the results: the channel must be private, then the results
    are loaded and the channel is owed them (the outbox posts the message, its comments
    thread and the chart: results_delivery.py)."""
    what = "self-assessment results or comments"
    require_private_channel(client, channel_id, what, meanwhile=meanwhile)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None  # reviews are closed, never deleted
        notes = [closed_note(review)] if review.closed_at is not None else []
        try:
            results = load_results(session=session, deps=deps, review=review)
        except NoResults as no_results:
            return [*notes, str(no_results)]
        owe_results_post(
            session,
            team_id=team_id,
            channel_id=channel_id,
            host=review.host_council,
            results=results,
            posted_by=user_id,
        )
    return notes
