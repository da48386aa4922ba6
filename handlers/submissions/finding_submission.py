"""Submission of the "Add a finding" modal."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.findings.modal import FindingMetadata, parse_finding_state
from bot.findings.service import FormErrors, record_finding
from bot.review_access import Refusal
from bot.slack import ids
from bot.slack.calls import answer_user

STALE = "This form is out of date. Close it and start again."


def register(app: App, deps: Deps) -> None:
    @app.view(ids.FINDING_MODAL)
    def handle_finding_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        try:
            metadata = FindingMetadata.load(view.get("private_metadata", ""))
        except ValueError:  # forged or from an older version of the bot
            ack(response_action="errors", errors={ids.FINDING_TEXT: STALE})
            return
        form = parse_finding_state(view["state"]["values"])
        try:
            recorded = record_finding(deps, metadata=metadata, form=form, user_id=user_id)
        except FormErrors as problem:
            ack(response_action="errors", errors=problem.errors)
            return
        except Refusal as refusal:
            ack(response_action="errors", errors={ids.FINDING_TEXT: refusal.message})
            return
        ack()
        answer_user(
            client,
            user_id=user_id,
            response_url=metadata.response_url,
            text=f"Recorded finding {recorded.number} ({recorded.kind_label}) against "
            f"AFI {recorded.afi_number}. `/afi show {recorded.afi_number}` lists its findings.",
        )
