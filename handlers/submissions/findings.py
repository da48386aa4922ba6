"""Submissions of the finding forms: record or correct a finding (pushing the question before
one from a session still to come), Do it anyway on that question, and removing one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.findings import service
from bot.slack import ids
from bot.slack.payloads import submission_key

Payload = dict[str, Any]


def register(app: App, deps: Deps) -> None:
    @app.view(ids.FINDING_MODAL)
    def handle_finding_submission(ack: Ack, body: Payload, view: Payload) -> None:
        question = service.save_finding(
            deps,
            metadata=service.FindingMetadata.load(view.get("private_metadata")),
            form=service.FindingForm.of(view["state"]["values"]),
            user_id=body["user"]["id"],
            request_key=submission_key(view),
        )
        if question is None:
            ack()
        else:
            ack(response_action="push", view=question)

    @app.view(ids.FINDING_EARLY_MODAL)
    def handle_early_finding(ack: Ack, body: Payload, view: Payload) -> None:
        metadata = service.EarlyFindingMetadata.load(view.get("private_metadata"))
        key, user_id = submission_key(view), body["user"]["id"]
        form = metadata.form
        service.save_finding(
            deps, metadata=metadata, form=form, user_id=user_id, request_key=key, anyway=True
        )
        ack(response_action="clear")  # the form underneath is done with too

    @app.view(ids.FINDING_REMOVE_MODAL)
    def handle_finding_removal(ack: Ack, body: Payload, view: Payload) -> None:
        metadata = service.FindingMetadata.load(view.get("private_metadata"))
        key, user_id = submission_key(view), body["user"]["id"]
        service.remove_finding(deps, metadata=metadata, user_id=user_id, request_key=key)
        ack()
