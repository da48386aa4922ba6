"""Submissions of the action modals: log, edit, drop with a reason, and progress updates."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.core.actions import ActionStatus
from bot.deps import Deps
from bot.improvement_actions.action_form import (
    drop_reason_problem,
    note_problem,
    parse_action_state,
    parse_drop_reason,
    parse_progress_state,
)
from bot.improvement_actions.log_or_edit import FormProblem, save_action
from bot.improvement_actions.modal import ActionMetadata
from bot.improvement_actions.progress import update_progress
from bot.improvement_actions.status_change import apply_status
from bot.slack import ids
from bot.slack.payloads import UnreadablePayload, submission_key


def register(app: App, deps: Deps) -> None:
    @app.view(ids.ACTION_MODAL)
    def handle_action_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            save_action(
                deps,
                metadata=ActionMetadata.load(view.get("private_metadata")),
                form=parse_action_state(view["state"]["values"]),
                user_id=body["user"]["id"],
                request_key=submission_key(view),
            )
        except FormProblem as problem:
            ack(response_action="errors", errors=problem.errors)
            return
        ack()

    @app.view(ids.ACTION_DROP_MODAL)
    def handle_drop_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = ActionMetadata.load(view.get("private_metadata"))
        reason = parse_drop_reason(view["state"]["values"])
        problem = drop_reason_problem(reason)
        if problem:
            ack(response_action="errors", errors={ids.ACTION_DROP_REASON: problem})
            return
        if metadata.action_id is None:  # the drop modal always names its action
            raise UnreadablePayload("a drop form without its action")
        change = apply_status(
            deps,
            action_id=metadata.action_id,
            target=ActionStatus.DROPPED,
            user_id=body["user"]["id"],
            reason=reason,
        )
        if change.problem:
            ack(response_action="errors", errors={ids.ACTION_DROP_REASON: change.problem})
            return
        ack()

    @app.view(ids.ACTION_PROGRESS_MODAL)
    def handle_progress_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = ActionMetadata.load(view.get("private_metadata"))
        form = parse_progress_state(view["state"]["values"])
        problem = note_problem(form.note)
        if problem:
            ack(response_action="errors", errors={ids.ACTION_PROGRESS_NOTE: problem})
            return
        if metadata.action_id is None:  # the progress modal always names its action
            raise UnreadablePayload("a progress form without its action")
        change = update_progress(
            deps,
            action_id=metadata.action_id,
            user_id=body["user"]["id"],
            note=form.note,
            rag=form.rag,
            request_key=submission_key(view),
        )
        if change.problem:
            ack(response_action="errors", errors={ids.ACTION_PROGRESS_NOTE: change.problem})
            return
        ack()
