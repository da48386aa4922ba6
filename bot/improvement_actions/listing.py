"""`/action list`: the review's actions grouped by AFI, for the person who asked."""

from __future__ import annotations

from bot.deps import Deps
from bot.improvement_actions.rules import ListFilter, group_by_afi, select_actions
from bot.improvement_actions.views import build_action_list
from bot.review_access import channel_review
from bot.slack.blocks import Block
from storage.db import transaction
from storage.repositories.action_items import review_action_items

# response_url takes 5 posts; keep one spare for anything that follows.
MAX_LIST_MESSAGES = 4
TOO_MANY = (
    "That's more than fits here. `/action plan` posts the whole plan to the channel, "
    "and `/action export` gives it as a spreadsheet."
)


def action_list(
    deps: Deps, *, channel_id: str, user_id: str, which: ListFilter
) -> list[tuple[str, list[Block] | None]]:
    """The chosen actions as ephemeral messages, as many as a command may answer with."""
    today = deps.today()
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        items = review_action_items(session=session, review_id=review.id)
    chosen = select_actions(items, which, user_id=user_id, today=today)
    messages = build_action_list(group_by_afi(chosen), which=which, today=today, total=len(items))
    if len(messages) <= MAX_LIST_MESSAGES:
        return list(messages)
    return [*messages[:MAX_LIST_MESSAGES], (TOO_MANY, None)]
