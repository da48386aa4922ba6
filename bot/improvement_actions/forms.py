"""The forms an action is logged or changed in, and its history: what `/action log`,
`/action edit`, `/action progress` and the buttons on an action's card open."""

from __future__ import annotations

from enum import Enum

from sqlalchemy.orm import Session

from bot.core.actions import ActionItem
from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.deps import Deps
from bot.improvement_actions.access import GONE, managed, numbered_action
from bot.improvement_actions.modal import ActionMetadata, build_action_modal, build_drop_modal
from bot.improvement_actions.progress_modal import build_progress_modal
from bot.improvement_actions.views import build_history_modal
from bot.review_access import channel_review, require_permission
from bot.slack.blocks import Block
from storage.db import transaction
from storage.repositories.action_afi_choices import afi_choices
from storage.repositories.action_progress import progress_updates, status_history
from storage.repositories.findings import option_choices, option_of_action
from storage.repositories.improvement_actions import get_action, item_of


class ActionForm(Enum):
    """The forms that change an existing action."""

    EDIT = "edit"
    DROP = "drop"
    PROGRESS = "progress"


def log_form(
    deps: Deps, *, channel_id: str, user_id: str, key_action: str, response_url: str | None
) -> Block:
    """The form to log a new action in the channel's review, `key_action` filled in."""
    with transaction(deps.sessions) as session:
        review = channel_review(session, channel_id=channel_id)
        require_permission(review, user_id, Operation.LOG_ACTION)
        prioritised, others = afi_choices(session=session, review_id=review.id)
        options = option_choices(session=session, review_id=review.id)
        metadata = ActionMetadata(review_id=review.id, response_url=response_url)
    return build_action_modal(
        metadata=metadata,
        prioritised=prioritised,
        others=others,
        key_action=key_action,
        options=options,
    )


def change_form(
    deps: Deps, *, action_id: int, user_id: str, form: ActionForm, response_url: str | None
) -> Block:
    """The edit, drop or progress form of an action, for those who may change it."""
    with transaction(deps.sessions) as session:
        return _change_form(
            session, action_id=action_id, user_id=user_id, form=form, response_url=response_url
        )


def numbered_change_form(
    deps: Deps,
    *,
    channel_id: str,
    user_id: str,
    number: int,
    form: ActionForm,
    response_url: str | None,
) -> Block:
    """The edit or progress form of the channel review's action `number`."""
    with transaction(deps.sessions) as session:
        action = numbered_action(session, channel_id=channel_id, number=number)
        return _change_form(
            session, action_id=action.id, user_id=user_id, form=form, response_url=response_url
        )


def _change_form(
    session: Session, *, action_id: int, user_id: str, form: ActionForm, response_url: str | None
) -> Block:
    action, _, checked = managed(session, action_id=action_id, user_id=user_id)
    item = checked.item
    if checked.problem or action is None or item is None:
        raise Refusal(checked.problem or GONE)
    metadata = ActionMetadata(
        review_id=item.review_id, action_id=item.id, response_url=response_url
    )
    if form is ActionForm.DROP:
        return build_drop_modal(item=item, metadata=metadata)
    if form is ActionForm.PROGRESS:
        return build_progress_modal(item=item, metadata=metadata)
    return _edit_modal(session, item, metadata)


def _edit_modal(session: Session, item: ActionItem, metadata: ActionMetadata) -> Block:
    prioritised, others = afi_choices(session=session, review_id=item.review_id)
    return build_action_modal(
        metadata=metadata,
        prioritised=prioritised,
        others=others,
        existing=item,
        options=option_choices(session=session, review_id=item.review_id),
        chosen_option=option_of_action(session=session, action_id=item.id),
    )


def history_view(deps: Deps, *, action_id: int) -> Block:
    """An action's status changes and progress notes; anyone who can see its card may."""
    with transaction(deps.sessions) as session:
        action = get_action(session=session, action_id=action_id)
        if action is None:
            raise Refusal(GONE)
        item = item_of(action)
        history = status_history(session=session, action_id=action_id)
        progress = progress_updates(session=session, action_id=action_id)
    return build_history_modal(item, history, zone=deps.settings.timezone, progress=progress)
