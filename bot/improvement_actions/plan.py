"""`/action plan` owes the whole improvement plan to the channel; `/action export` owes it as
spreadsheets."""

from __future__ import annotations

from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.core.stages import closed_note
from bot.deps import Deps
from bot.improvement_actions.plan_export import owe_plan_export
from bot.improvement_actions.plan_views import LatestNotes, build_plan_messages
from bot.improvement_actions.rules import group_by_afi
from bot.review_access import channel_review, readable_channel_review, require_permission
from bot.slack.deliveries import owe_message
from storage.db import transaction
from storage.repositories.action_progress import review_progress_notes
from storage.repositories.improvement_actions import action_counts, item_of, review_actions
from storage.repositories.reviews import snapshot

NO_ACTIONS = "No actions have been logged yet. Log the first with `/action log`."
NOT_POSTED = "I couldn't post the plan."


def post_plan(
    deps: Deps, *, channel_id: str, user_id: str, response_url: str | None = None
) -> list[str]:
    """Owe the channel review's plan (a closed review's stays readable), grouped by AFI, to
    its channel, in as many messages as it takes; what to tell the person who asked."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = readable_channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SEE_PLAN)
        notes = [closed_note(review)] if review.closed_at is not None else []
        picture, team_id = snapshot(review), review.team_id
        items = [item_of(action) for action in review_actions(session=session, review_id=review.id)]
        progress = review_progress_notes(session=session, review_id=review.id)
    if not items:
        return [*notes, NO_ACTIONS]
    messages = build_plan_messages(
        picture,
        group_by_afi(items),
        today=today,
        posted_by=user_id,
        notes=LatestNotes(
            {number: updates[-1] for number, updates in progress.items()},
            zone=deps.settings.timezone,
        ),
    )
    told = {"user_id": user_id, "response_url": response_url, "text": NOT_POSTED}
    with transaction(deps.sessions) as session:
        for part, (text, blocks) in enumerate(messages):
            owe_message(
                session,
                team_id=team_id,
                channel=picture.channel_id,
                text=text,
                blocks=blocks,
                if_undelivered=None if part else told,  # the later parts can't get there either
            )
    return notes


def request_plan_export(
    deps: Deps, *, channel_id: str, user_id: str, response_url: str | None
) -> str:
    """Owe the plan's spreadsheets to the channel (built by the outbox, as they are slow)."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.SEE_PLAN)
        total, _ = action_counts(session=session, review_id=review.id)
        if not total:
            raise Refusal("No actions have been logged yet, so there's nothing to export.")
        owe_plan_export(session, review=review, user_id=user_id, response_url=response_url)
    return (
        "I'm putting the plan into a spreadsheet. It'll appear in this channel in a moment, "
        "as an Excel workbook and a CSV file."
    )
