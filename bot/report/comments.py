"""Comments on the draft: the form, saving one into the version's thread, listing the open
ones and resolving them."""

from __future__ import annotations

from bot.core.errors import Refusal
from bot.core.permissions import Operation, refusal
from bot.deps import Deps
from bot.report.rules import comment_problem, may_comment, may_resolve_comment
from bot.report.views import (
    CommentMetadata,
    build_comment_in_thread,
    build_comment_modal,
    build_open_comments,
)
from bot.review_access import open_review_by_id, require, review_in_channel, roles
from bot.slack.blocks import Block
from bot.slack.outbox import owe_answer, owe_message
from storage.db import transaction
from storage.repositories import report as store
from storage.repositories.requests import mark_applied

TEAM_ONLY = refusal(Operation.COMMENT_ON_DRAFT)
VERSION_GONE = "That version of the report no longer exists."


class CommentProblem(Exception):
    """What's wrong with the comment typed; shown on the form's field."""


def comment_form(deps: Deps, *, version_id: int, user_id: str, response_url: str | None) -> Block:
    with transaction(deps.sessions) as session:
        version = store.get_version(session=session, version_id=version_id)
        if version is None:
            raise Refusal(VERSION_GONE)
        review = open_review_by_id(session, version.review_id)
        require(may_comment(roles(review, user_id)), TEAM_ONLY)
        metadata = CommentMetadata(version_id=version.id, response_url=response_url)
        return build_comment_modal(metadata=metadata, version_number=version.number)


def save_comment(
    deps: Deps,
    *,
    metadata: CommentMetadata,
    text: str,
    user_id: str,
    request_key: str | None,
) -> None:
    """Keep the comment with its version and owe it to the report's thread, so the team sees
    feedback where the draft is; the author is told it's there. Saved once per submission."""
    problem = comment_problem(text)
    if problem:
        raise CommentProblem(problem)
    now = deps.now()
    with transaction(deps.sessions) as session:
        version = store.get_version(session=session, version_id=metadata.version_id)
        if version is None:
            raise Refusal(VERSION_GONE)
        review = open_review_by_id(session, version.review_id)
        require(may_comment(roles(review, user_id)), TEAM_ONLY)
        if request_key and not mark_applied(
            session=session, key=f"report.comment:{request_key}", now=now
        ):
            return
        store.add_comment(
            session=session, version_id=version.id, author_id=user_id, text=text, now=now
        )
        where = f"draft {version.number}"
        if version.channel_id and version.ts:
            thread_text, blocks = build_comment_in_thread(
                author_id=user_id, version_number=version.number, text=text
            )
            owe_message(
                session,
                team_id=review.team_id,
                channel=version.channel_id,
                text=thread_text,
                blocks=blocks,
                thread_ts=version.ts,
            )
            where += " is in the report's thread"
        else:
            where += " is saved with that version"
        owe_answer(
            session,
            team_id=review.team_id,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Your comment on {where}.",
        )


def list_open_comments(
    deps: Deps, *, team_id: str, channel_id: str, user_id: str
) -> tuple[str, list[Block]]:
    """`/psif report comments`: the open comments, with Resolve where the user may."""
    with transaction(deps.sessions) as session:
        review = review_in_channel(session, team_id=team_id, channel_id=channel_id)
        held = roles(review, user_id)
        require(may_comment(held), TEAM_ONLY)
        comments = store.open_comments(session=session, review_id=review.id)
    resolvable = {
        comment.id
        for comment in comments
        if may_resolve_comment(author_id=comment.author_id, user_id=user_id, roles=held)
    }
    return build_open_comments(comments, resolvable=resolvable)


def resolve(deps: Deps, *, comment_id: int, user_id: str) -> str:
    with transaction(deps.sessions) as session:
        comment = store.get_comment(session=session, comment_id=comment_id)
        version = (
            store.get_version(session=session, version_id=comment.version_id) if comment else None
        )
        if comment is None or version is None:
            raise Refusal("That comment no longer exists.")
        review = open_review_by_id(session, version.review_id)
        require(
            may_resolve_comment(
                author_id=comment.author_id, user_id=user_id, roles=roles(review, user_id)
            ),
            "Only the comment's author or a lead can resolve it.",
        )
        if not store.resolve_comment(
            session=session, comment=comment, actor_id=user_id, now=deps.now()
        ):
            return "That comment was already resolved."
    return "Resolved. `/psif report comments` lists what is still open."
