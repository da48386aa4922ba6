"""Submissions of the finding forms: add or edit a finding, and the question before removing
one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.core.errors import FormErrors, Refusal
from bot.deps import Deps
from bot.findings.changes import edit_finding, remove_finding
from bot.findings.modal import FindingMetadata, build_not_removed_modal, parse_finding_state
from bot.findings.service import record_finding
from bot.slack import ids
from bot.slack.payloads import submission_key

STALE = "This form is out of date. Close it and start again."


def register(app: App, deps: Deps) -> None:
    @app.view(ids.FINDING_MODAL)
    def handle_finding_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            metadata = FindingMetadata.load(view.get("private_metadata", ""))
        except ValueError:  # forged or from an older version of the bot
            ack(response_action="errors", errors={ids.FINDING_TEXT: STALE})
            return
        save = edit_finding if metadata.finding_id is not None else record_finding
        try:
            save(
                deps,
                metadata=metadata,
                form=parse_finding_state(view["state"]["values"]),
                user_id=body["user"]["id"],
                request_key=submission_key(view),
            )
        except FormErrors as problem:
            ack(response_action="errors", errors=problem.errors)
            return
        except Refusal as refusal:
            ack(response_action="errors", errors={ids.FINDING_TEXT: refusal.message})
            return
        ack()

    @app.view(ids.FINDING_REMOVE_MODAL)
    def handle_finding_removal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        try:
            metadata = FindingMetadata.load(view.get("private_metadata", ""))
            remove_finding(
                deps,
                metadata=metadata,
                user_id=body["user"]["id"],
                request_key=submission_key(view),
            )
        except (ValueError, Refusal) as problem:
            message = problem.message if isinstance(problem, Refusal) else STALE
            ack(response_action="update", view=build_not_removed_modal(message))
            return
        ack()
