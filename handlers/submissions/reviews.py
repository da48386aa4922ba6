"""The Appendix 1 form's submissions: opening a review, and `/psif edit` saving one."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.reviews.service import open_review, save_edit
from bot.reviews.views import StartMetadata, read_start_state
from bot.slack import ids
from bot.slack.payloads import UnreadablePayload, team_id_of


def register(app: App, deps: Deps) -> None:
    @app.view(ids.START_MODAL)
    def handle_start_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = StartMetadata.load(view.get("private_metadata"))
        open_review(
            deps,
            user_id=body["user"]["id"],
            team_id=metadata.team_id or team_id_of(body),
            metadata=metadata,
            form=read_start_state(view),
        )
        ack()

    @app.view(ids.EDIT_MODAL)
    def handle_edit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = StartMetadata.load(view.get("private_metadata"))
        if metadata.review_id is None:
            raise UnreadablePayload("an edit form without its review")
        save_edit(deps, user_id=body["user"]["id"], metadata=metadata, form=read_start_state(view))
        ack()
