"""The `/psif edit` form's submission: inline errors, or save (the channel is told)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.reviews.edit_service import save_edit
from bot.reviews.form import StartMetadata
from bot.reviews.start_form import current_block_ids, read_start_state
from bot.slack import ids
from bot.slack.payloads import UnreadablePayload


def register(app: App, deps: Deps) -> None:
    @app.view(ids.EDIT_MODAL)
    def handle_edit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = body["user"]["id"]
        block_ids = current_block_ids(view)
        metadata = StartMetadata.load(view.get("private_metadata"))
        if metadata.review_id is None:
            raise UnreadablePayload("an edit form without its review")
        outcome = save_edit(deps, user_id=user_id, metadata=metadata, form=read_start_state(view))
        if outcome.errors:
            errors = {
                block_ids.get(f, block_ids.get("focus", f)): m for f, m in outcome.errors.items()
            }
            ack(response_action="errors", errors=errors)
            return
        ack()
