"""Submissions of the action modals: log, edit, and drop with a reason."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from sqlalchemy.orm import Session

from bot.deps import Deps
from bot.improvement_actions.modal import (
    ActionForm,
    ActionMetadata,
    parse_action_state,
    parse_drop_reason,
    parse_metadata,
    validate_action_form,
)
from bot.improvement_actions.rules import ActionItem, ActionStatus, may_manage
from bot.improvement_actions.service import (
    Outcome,
    after_change,
    apply_status,
    not_allowed,
    post_card,
    refresh_card,
    refresh_homes,
    tell,
)
from bot.improvement_actions.views import build_assignment_dm
from bot.reviews.roles import REVIEW_TEAM
from bot.slack import ids
from bot.slack.calls import direct_message, unreachable_channel_advice
from bot.slack.text import escape_mrkdwn, mention, truncate
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.findings import option_choices, set_action_option
from storage.repositories.improvement_actions import (
    ActionFields,
    add_action,
    afi_in_review,
    edit_action,
    get_action,
    item_of,
)
from storage.repositories.reviews import roles_of


class FormProblem(Exception):
    """The submission can't be saved; `errors` maps input block_ids to messages."""

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__(errors)
        self.errors = errors


def fields_of(form: ActionForm) -> ActionFields:
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


@dataclass(frozen=True)
class Saved:
    item: ActionItem
    team_id: str
    host_council: str
    channel_id: str
    previous_owner: str | None = None


def save_action(deps: Deps, *, metadata: ActionMetadata, form: ActionForm, user_id: str) -> Saved:
    """Store a new or edited action.

    Raises FormProblem with inline errors when the form or the user's rights don't allow it.
    """
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
        elif not roles & REVIEW_TEAM:
            raise FormProblem({ids.ACTION_KEY: "Only the review team can log actions."})
        errors = validate_action_form(
            form, today=deps.today(), current_due=existing.due if existing else None
        )
        afi_id = form.afi_id
        if (
            afi_id is not None
            and afi_in_review(session=session, review_id=review.id, afi_id=afi_id) is None
        ):
            errors[ids.ACTION_AFI] = "That area for improvement is no longer in this review."
        option_problem = _option_problem(session, review.id, form)
        if option_problem:
            errors[ids.ACTION_OPTION] = option_problem
        if errors:
            raise FormProblem(errors)
        fields = fields_of(form)
        if existing is None:
            action = add_action(
                session=session,
                review_id=review.id,
                fields=fields,
                actor_id=user_id,
                now=deps.now(),
            )
            set_action_option(session=session, action_id=action.id, finding_id=form.option_id)
            return Saved(item_of(action), review.team_id, review.host_council, review.channel_id)
        previous_owner = existing.owner_id
        edit_action(
            session=session, action=existing, fields=fields, actor_id=user_id, now=deps.now()
        )
        set_action_option(session=session, action_id=existing.id, finding_id=form.option_id)
        return Saved(
            item_of(existing),
            review.team_id,
            review.host_council,
            review.channel_id,
            previous_owner,
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


def register(app: App, deps: Deps) -> None:
    @app.view(ids.ACTION_MODAL)
    def handle_action_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        metadata = parse_metadata(view.get("private_metadata", ""))
        form = parse_action_state(view["state"]["values"])
        try:
            saved = save_action(deps, metadata=metadata, form=form, user_id=user_id)
        except FormProblem as problem:
            ack(response_action="errors", errors=problem.errors)
            return
        ack()
        item, previous_owner = saved.item, saved.previous_owner
        editing = metadata.action_id is not None
        if item.message_ts:
            refresh_card(client, deps, item=item)
        else:  # a new action, or one whose card couldn't be posted before
            error = post_card(client, deps, item=item, channel_id=saved.channel_id)
            if error:
                advice = f"Action {item.number} is saved. " + unreachable_channel_advice(
                    saved.channel_id, error
                )
                tell(client, user_id=user_id, response_url=metadata.response_url, text=advice)
        if item.owner_id != user_id and item.owner_id != previous_owner:
            text, blocks = build_assignment_dm(
                item,
                assigned_by=user_id,
                channel_id=saved.channel_id,
                host=saved.host_council,
                edited=editing,
            )
            if direct_message(client, user=item.owner_id, text=text, blocks=blocks) is None:
                tell(
                    client,
                    user_id=user_id,
                    response_url=metadata.response_url,
                    text=f"Action {item.number} is saved, but I couldn't send "
                    f"{mention(item.owner_id)} a direct message (Slack won't let me message "
                    "them, perhaps because they're in another organisation), so please let "
                    "them know it's theirs.",
                )
        if previous_owner and previous_owner not in (item.owner_id, user_id):
            direct_message(
                client,
                user=previous_owner,
                text=f"{mention(user_id)} passed action {item.number} "
                f"({truncate(escape_mrkdwn(item.key_action), 200)}) on to "
                f"{mention(item.owner_id)}. It's no longer yours.",
            )
        refresh_homes(
            client,
            deps,
            team_id=saved.team_id,
            users=[user for user in (user_id, item.owner_id, previous_owner) if user],
        )

    @app.view(ids.ACTION_DROP_MODAL)
    def handle_drop_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        metadata = parse_metadata(view.get("private_metadata", ""))
        reason = parse_drop_reason(view["state"]["values"])
        if not reason:
            ack(
                response_action="errors",
                errors={ids.ACTION_DROP_REASON: "Say why, so the plan records it."},
            )
            return
        assert metadata.action_id is not None  # the drop modal always names its action
        outcome: Outcome = apply_status(
            deps,
            action_id=metadata.action_id,
            target=ActionStatus.DROPPED,
            user_id=user_id,
            reason=reason,
        )
        if outcome.problem:
            ack(response_action="errors", errors={ids.ACTION_DROP_REASON: outcome.problem})
            return
        ack()
        after_change(client, deps, outcome=outcome, actor_id=user_id)
