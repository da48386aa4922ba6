"""Posting the self-assessment results to the review's channel: for `/psif results` and
the "Post the results" button on the channel's note that it closed.

Permission first, then the channel, and only then the results: their first loading closes
the self-assessment for good.
"""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.deps import Deps
from bot.review_access import Refusal, readable_channel_review, require_permission
from bot.reviews.answers import closed_note, refusal_naming
from bot.reviews.permissions import Operation, permits
from bot.self_assessment.results import NoResults, Results, load_results, send_chart
from bot.self_assessment.views import build_comment_messages, build_results
from bot.slack.calls import post_to_channel, unreachable_channel_advice
from bot.slack.channels import Privacy, channel_privacy, refuse_outside_private
from storage.db import transaction
from storage.repositories.reviews import get_review, roles_of


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
    are loaded and posted."""
    privacy, error = channel_privacy(client, channel_id)
    if privacy is not Privacy.PRIVATE:
        what = "self-assessment results or comments"
        raise Refusal(refuse_outside_private(channel_id, privacy, what, error) + meanwhile)
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=review_id)
        assert review is not None  # reviews are closed, never deleted
        notes = [closed_note(review)] if review.closed_at is not None else []
        try:
            results = load_results(session=session, deps=deps, review=review)
        except NoResults as no_results:
            return [*notes, str(no_results)]
        host = review.host_council
    problem = post_results(
        client,
        deps,
        team_id=team_id,
        channel_id=channel_id,
        host=host,
        results=results,
        posted_by=user_id,
    )
    return [*notes, problem] if problem else notes


def post_results(
    client: WebClient,
    deps: Deps,
    *,
    team_id: str,
    channel_id: str,
    host: str,
    results: Results,
    posted_by: str,
) -> str | None:
    """Post the results, their chart and (in the thread) the comments; why not, if not."""
    text, blocks = build_results(
        host_council=host,
        analysis=results.analysis,
        completion=results.completion,
        posted_by=posted_by,
    )
    ts, error = post_to_channel(client, channel=channel_id, text=text, blocks=blocks)
    if error or ts is None:
        return unreachable_channel_advice(channel_id, error or "not_in_channel")
    send_chart(deps=deps, team_id=team_id, channel_id=channel_id, host=host, results=results)
    for comment_text, comment_blocks in build_comment_messages(results.checklist, results.comments):
        post_to_channel(
            client, channel=channel_id, text=comment_text, blocks=comment_blocks, thread_ts=ts
        )
    return None
