"""Logging a new action or saving an edited one from the action form.

The save is checked and stored in one transaction, which also owes Slack what follows (the
card, the owners' direct messages, Home tabs) through the outbox: a saved change is never
reported as failed, and its messages follow as soon as Slack answers.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.core.permissions import Operation, permits, refusal
from bot.deps import Deps
from bot.home.service import owe_homes
from bot.improvement_actions.access import not_allowed
from bot.improvement_actions.action_form import ActionForm, validate_action_form
from bot.improvement_actions.card import owe_card
from bot.improvement_actions.modal import ActionMetadata
from bot.improvement_actions.rules import may_manage
from bot.improvement_actions.views import build_assignment_dm
from bot.slack import ids
from bot.slack.outbox import owe_direct_message
from bot.slack.text import escape_mrkdwn, mention, truncate
from storage.db import transaction
from storage.models.improvement_actions import Action
from storage.models.reviews import Review
from storage.repositories.action_afi_choices import afi_in_review
from storage.repositories.action_edits import edit_action
from storage.repositories.findings import option_choices, set_action_option
from storage.repositories.improvement_actions import (
    ActionFields,
    add_action,
    get_action,
    item_of,
)
from storage.repositories.requests import mark_applied
from storage.repositories.reviews import roles_of


class FormProblem(Exception):
    """The submission can't be saved; `errors` maps input block_ids to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def _fields_of(form: ActionForm) -> ActionFields:
    assert form.owner is not None and form.due is not None  # validated
    return ActionFields(
        key_action=form.key_action,
        owner_id=form.owner,
        due=form.due,
        afi_id=form.afi_id,
        risks=form.risks,
        measure=form.measure,
        outcome=form.outcome,
    )


def save_action(
    deps: Deps,
    *,
    metadata: ActionMetadata,
    form: ActionForm,
    user_id: str,
    request_key: str | None,
) -> None:
    """Log a new action or save an edited one, owing its card, the owners' messages and the
    Home tabs. Raises FormProblem with inline errors when the form or the user's rights
    don't allow it. The same submission delivered twice saves once."""
    with transaction(deps.sessions) as session:
        review = session.get(Review, metadata.review_id)
        if review is None or review.closed_at is not None:
            raise FormProblem({ids.ACTION_KEY: "This review has been closed."})
        existing = (
            get_action(session=session, action_id=metadata.action_id)
            if metadata.action_id
            else None
        )
        if metadata.action_id and (existing is None or existing.review_id != review.id):
            raise FormProblem({ids.ACTION_KEY: "This action no longer exists."})
        roles = roles_of(review, user_id)
        if existing is not None:
            if not may_manage(user_id, owner_id=existing.owner_id, roles=roles):
                raise FormProblem({ids.ACTION_KEY: not_allowed(item_of(existing))})
        elif not permits(Operation.LOG_ACTION, roles):
            raise FormProblem({ids.ACTION_KEY: refusal(Operation.LOG_ACTION)})
        errors = validate_action_form(
            form, today=deps.today(), current_due=existing.due if existing else None
        )
        if (
            form.afi_id is not None
            and afi_in_review(session=session, review_id=review.id, afi_id=form.afi_id) is None
        ):
            errors[ids.ACTION_AFI] = "That area for improvement is no longer in this review."
        option_problem = _option_problem(session, review.id, form)
        if option_problem:
            errors[ids.ACTION_OPTION] = option_problem
        if errors:
            raise FormProblem(errors)
        if request_key and not mark_applied(
            session=session, key=f"action.save:{request_key}", now=deps.now()
        ):
            return  # this very submission was saved already
        if existing is None:
            action = add_action(
                session=session,
                review_id=review.id,
                fields=_fields_of(form),
                actor_id=user_id,
                now=deps.now(),
            )
            previous_owner = None
            set_action_option(session=session, action_id=action.id, finding_id=form.option_id)
        else:
            action, previous_owner = existing, existing.owner_id
            edit_action(
                session=session,
                action=action,
                fields=_fields_of(form),
                actor_id=user_id,
                now=deps.now(),
            )
            set_action_option(session=session, action_id=action.id, finding_id=form.option_id)
        _owe_follow_ups(
            session,
            review=review,
            action=action,
            user_id=user_id,
            previous_owner=previous_owner,
            editing=existing is not None,
            response_url=metadata.response_url,
        )


def _option_problem(session: Session, review_id: int, form: ActionForm) -> str | None:
    """Why the chosen option for improvement can't go with this action, if it can't."""
    if form.option_id is None:
        return None
    choices = option_choices(session=session, review_id=review_id)
    chosen = next((choice for choice in choices if choice.id == form.option_id), None)
    if chosen is None:
        return "That option is no longer recorded; choose another or leave it blank."
    if chosen.afi_id != form.afi_id:
        return (
            f"Option {chosen.number} belongs to AFI {chosen.afi_number}: choose that area above, "
            "or leave the option blank."
        )
    return None


def _owe_follow_ups(
    session: Session,
    *,
    review: Review,
    action: Action,
    user_id: str,
    previous_owner: str | None,
    editing: bool,
    response_url: str | None,
) -> None:
    item = item_of(action)
    owe_card(
        session,
        review=review,
        action=action,
        if_undelivered={
            "user_id": user_id,
            "response_url": response_url,
            "text": f"Action {item.number} is saved, but I couldn't post its card.",
        },
    )
    if item.owner_id != user_id and item.owner_id != previous_owner:
        text, blocks = build_assignment_dm(
            item,
            assigned_by=user_id,
            channel_id=review.channel_id,
            host=review.host_council,
            edited=editing,
        )
        owe_direct_message(
            session,
            team_id=review.team_id,
            user_id=item.owner_id,
            text=text,
            blocks=blocks,
            if_undelivered={
                "user_id": user_id,
                "response_url": response_url,
                "text": f"Action {item.number} is saved, but I couldn't send "
                f"{mention(item.owner_id)} a direct message.",
            },
        )
    if previous_owner and previous_owner not in (item.owner_id, user_id):
        owe_direct_message(
            session,
            team_id=review.team_id,
            user_id=previous_owner,
            text=f"{mention(user_id)} passed action {item.number} "
            f"({truncate(escape_mrkdwn(item.key_action), 200)}) on to "
            f"{mention(item.owner_id)}. It's no longer yours.",
        )
    owe_homes(session, team_id=review.team_id, users=(user_id, item.owner_id, previous_owner))
