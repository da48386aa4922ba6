"""The buttons under `/psif stage next`'s confirmation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.reviews.roles import LEADS, describe_allowed
from bot.reviews.stages import STAGES, Stage, stage_gaps
from bot.reviews.views import build_stage_changed
from bot.slack import ids
from bot.slack.calls import post_to_channel, unreachable_channel_advice
from bot.slack.payloads import UnreadablePayload, action_value, record_id
from storage.db import transaction
from storage.repositories.review_progress import review_progress
from storage.repositories.reviews import get_review, roles_of, set_stage, snapshot


def parse_stage_move(value: object) -> tuple[int, Stage, Stage]:
    """The confirm button's `review_id:from_stage:to_stage`."""
    review_id, expected, target = (
        value.split(":") if isinstance(value, str) and value.count(":") == 2 else ("", "", "")
    )
    try:
        return record_id(review_id), Stage(expected), Stage(target)
    except ValueError as error:  # UnreadablePayload is one too
        raise UnreadablePayload("not a stage move we offered") from error


def register(app: App, deps: Deps) -> None:
    @app.action(ids.STAGE_ADVANCE_CANCEL)
    def handle_stage_advance_cancel(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="OK, the review stays where it is.", replace_original=True)

    @app.action(ids.STAGE_ADVANCE_CONFIRM)
    def handle_stage_advance_confirm(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        respond: Respond,
        client: WebClient,
    ) -> None:
        review_id, expected, target = parse_stage_move(action_value(action))
        ack()
        user_id = body["user"]["id"]
        today = deps.today()
        with transaction(deps.sessions) as session:
            review = get_review(session=session, review_id=review_id)
            if review is None or review.closed_at is not None:
                respond(text="That review is closed.", replace_original=True)
                return
            if not roles_of(review, user_id) & LEADS:
                respond(
                    text=f"Only the review's {describe_allowed(LEADS)} can move it on.",
                    replace_original=False,
                    response_type="ephemeral",
                )
                return
            if review.stage != expected:
                respond(
                    text="The review has already moved on to "
                    f"{STAGES[Stage(review.stage)].label}; nothing changed.",
                    replace_original=True,
                )
                return
            gaps = stage_gaps(
                expected, review_progress(session=session, review=review, today=today)
            )
            previous = expected
            moved = set_stage(
                session=session,
                review=review,
                expected=previous,
                stage=target,
                actor_id=user_id,
                now=deps.now(),
            )
            picture = snapshot(review)
        if not moved:
            respond(
                text="Someone else moved the review on at the same moment; nothing changed.",
                replace_original=True,
            )
            return
        respond(
            text=f"Done: the review is now in {STAGES[picture.stage].label}.", replace_original=True
        )
        text, blocks = build_stage_changed(
            picture, previous=previous, changed_by=user_id, gaps_left=gaps, today=today
        )
        _, error = post_to_channel(client, channel=picture.channel_id, text=text, blocks=blocks)
        if error:
            respond(
                text=unreachable_channel_advice(picture.channel_id, error),
                replace_original=False,
                response_type="ephemeral",
            )
