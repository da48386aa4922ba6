"""Submissions of the finding forms: record or correct a finding, and the question before
removing one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.findings.service import FindingForm, FindingMetadata, remove_finding, save_finding
from bot.slack import ids
from bot.slack.payloads import submission_key


def register(app: App, deps: Deps) -> None:
    @app.view(ids.FINDING_MODAL)
    def handle_finding_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        save_finding(
            deps,
            metadata=FindingMetadata.load(view.get("private_metadata")),
            form=FindingForm.of(view["state"]["values"]),
            user_id=body["user"]["id"],
            request_key=submission_key(view),
        )
        ack()

    @app.view(ids.FINDING_REMOVE_MODAL)
    def handle_finding_removal(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        remove_finding(
            deps,
            metadata=FindingMetadata.load(view.get("private_metadata")),
            user_id=body["user"]["id"],
            request_key=submission_key(view),
        )
        ack()
