"""A review's life: stage moves, closing and reopening.

Each use case checks the permission table, saves with its audit record in one transaction,
and owes the channel its announcement through the outbox in that same transaction (`_owe_post`),
so a change is never reported failed because Slack was slow after it was saved.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.calendar import format_date
from bot.core.milestones_done import done_keys
from bot.core.permissions import Operation, permits, refusal
from bot.core.stages import STAGES, Stage, next_stage
from bot.deps import Deps
from bot.review_access import get_review, no_open_review
from bot.reviews.answers import Answer
from bot.reviews.moves import parse_closing, parse_stage_move
from bot.reviews.progress import review_progress
from bot.reviews.stage_gaps import stage_gaps
from bot.reviews.stage_views import (
    build_advance_confirmation,
    build_close_confirmation,
    build_stage_changed,
    build_stage_view,
    review_closed_line,
    review_reopened_line,
)
from bot.slack.blocks import Block, section
from bot.slack.outbox import owe_message
from bot.slack.text import escape_mrkdwn, mention, truncate
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.improvement_actions import item_of, review_actions
from storage.repositories.reminders import done_milestones
from storage.repositories.review_stages import set_stage, stage_before_closing
from storage.repositories.reviews import (
    ReviewAlreadyOpen,
    latest_review_in_channel,
    open_review_in_channel,
    roles_of,
    snapshot,
)

STALE = (
    "That button is out of date, so nothing changed. Type `/psif stage` to see where things are."
)


def stage_overview(deps: Deps, *, channel_id: str, user_id: str, wants_next: bool) -> Answer:
    """`/psif stage`: the stage and its gaps; with `next`, the confirmation to move on."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = latest_review_in_channel(session=session, channel_id=channel_id)
        if review is None or (wants_next and review.closed_at is not None):
            return Answer(no_open_review(review))
        picture = snapshot(review)
        gaps = stage_gaps(
            picture.stage, review_progress(session=session, review=review, today=today)
        )
        may_move = permits(Operation.MOVE_STAGE, roles_of(review, user_id))
    if not wants_next:
        return Answer(*build_stage_view(picture, gaps=gaps, can_advance=may_move))
    if not may_move:
        return Answer(refusal(Operation.MOVE_STAGE))
    target = next_stage(picture.stage)
    if target is None:
        return Answer(
            "The review is in Follow-up, the last stage: when the plan is carried out, a lead "
            "closes it with `/psif close`."
        )
    return Answer(*build_advance_confirmation(picture, target, gaps))


def confirm_stage_move(deps: Deps, *, user_id: str, value: str, response_url: str | None) -> Answer:
    """The confirmation's button: move to the next stage if nobody has meanwhile."""
    move = parse_stage_move(value)
    if move is None:
        return Answer(STALE)
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=move.review_id)
        if review is None or review.closed_at is not None:
            return Answer("That review is closed.")
        if not permits(Operation.MOVE_STAGE, roles_of(review, user_id)):
            return Answer(refusal(Operation.MOVE_STAGE))
        if review.stage != move.expected.value:
            return Answer(
                "The review has already moved on to "
                f"{STAGES[Stage(review.stage)].label}; nothing changed."
            )
        gaps = stage_gaps(
            move.expected, review_progress(session=session, review=review, today=today)
        )
        moved = set_stage(
            session=session,
            review=review,
            expected=move.expected,
            stage=move.target,
            actor_id=user_id,
            now=deps.now(),
        )
        if not moved:
            return Answer("Someone else moved the review on at the same moment; nothing changed.")
        picture = snapshot(review)
        recorded = done_milestones(session=session, review_id=review.id)
        text, blocks = build_stage_changed(
            picture,
            previous=move.expected,
            changed_by=user_id,
            gaps_left=gaps,
            today=today,
            done=done_keys(stage=picture.stage, recorded=recorded),
        )
        done = f"Done: the review is now in {STAGES[picture.stage].label}."
        _owe_post(session, review, text, blocks, user_id=user_id, response_url=response_url)
    return Answer(done)


def propose_close(deps: Deps, *, channel_id: str, user_id: str) -> Answer:
    """`/psif close`: the confirmation, listing the actions still open."""
    with transaction(deps.sessions) as session:
        review = open_review_in_channel(session=session, channel_id=channel_id)
        if review is None:
            latest = latest_review_in_channel(session=session, channel_id=channel_id)
            return Answer(no_open_review(latest))
        if not permits(Operation.CLOSE_REVIEW, roles_of(review, user_id)):
            return Answer(refusal(Operation.CLOSE_REVIEW))
        open_actions = [
            f"{item.number}. {escape_mrkdwn(truncate(item.key_action, 120))} – "
            f"{mention(item.owner_id)}, due {format_date(item.due)}"
            for item in map(item_of, review_actions(session=session, review_id=review.id))
            if item.unfinished
        ]
        picture = snapshot(review)
    return Answer(*build_close_confirmation(picture, open_actions))


def confirm_close(deps: Deps, *, user_id: str, value: str, response_url: str | None) -> Answer:
    closing = parse_closing(value)
    if closing is None:
        return Answer("That button is out of date, so nothing changed.")
    with transaction(deps.sessions) as session:
        review = get_review(session=session, review_id=closing.review_id)
        if review is None or review.closed_at is not None:
            return Answer("That review is already closed.")
        if not permits(Operation.CLOSE_REVIEW, roles_of(review, user_id)):
            return Answer(refusal(Operation.CLOSE_REVIEW))
        moved = set_stage(
            session=session,
            review=review,
            expected=closing.expected,
            stage=Stage.CLOSED,
            actor_id=user_id,
            now=deps.now(),
        )
        if not moved:
            return Answer("The review's stage changed meanwhile; type `/psif close` again.")
        line = review_closed_line(snapshot(review), closed_by=user_id)
        _owe_post(
            session, review, line, [section(line)], user_id=user_id, response_url=response_url
        )
        council = escape_mrkdwn(review.host_council)
    return Answer(
        f"Done: the {council} review is closed. Its plan and results stay readable here; "
        "`/psif reopen` reopens it."
    )


def reopen(deps: Deps, *, channel_id: str, user_id: str, response_url: str | None) -> Answer:
    """`/psif reopen`: the channel's latest closed review goes back to the stage it left."""
    with transaction(deps.sessions) as session:
        review = latest_review_in_channel(session=session, channel_id=channel_id)
        if review is None:
            return Answer(no_open_review(None))
        if review.closed_at is None:
            return Answer("This channel's review is open; there is nothing to reopen.")
        if not permits(Operation.CLOSE_REVIEW, roles_of(review, user_id)):
            return Answer(refusal(Operation.CLOSE_REVIEW))
        back_to = stage_before_closing(session=session, review_id=review.id) or Stage.FOLLOW_UP
        try:
            moved = set_stage(
                session=session,
                review=review,
                expected=Stage.CLOSED,
                stage=back_to,
                actor_id=user_id,
                now=deps.now(),
            )
        except ReviewAlreadyOpen:
            return Answer("This channel has another open review, so this one can't be reopened.")
        if not moved:
            return Answer("Someone reopened it at the same moment.")
        line = review_reopened_line(snapshot(review), reopened_by=user_id)
        _owe_post(
            session, review, line, [section(line)], user_id=user_id, response_url=response_url
        )
    return Answer("Done: reopened.")


def _owe_post(
    session: Session,
    review: Review,
    text: str,
    blocks: list[Block],
    *,
    user_id: str,
    response_url: str | None,
) -> None:
    """Owe the channel the announcement of a change saved in this transaction; if Slack
    refuses it for good, the person who made the change is told what to do."""
    owe_message(
        session,
        team_id=review.team_id,
        channel=review.channel_id,
        text=text,
        blocks=blocks,
        if_undelivered={
            "user_id": user_id,
            "response_url": response_url,
            "text": "The change is saved, but I couldn't announce it in the channel.",
        },
    )
