"""The Appendix 1 modal's submission: validate inline, store the review, post the summary."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.reviews.form import StartMetadata
from bot.reviews.opening import new_review_from, open_review
from bot.reviews.setup import validate_start_form
from bot.reviews.start_form import current_block_ids, read_start_state
from bot.slack import ids
from bot.slack.payloads import UnreadablePayload, team_id_of


def register(app: App, deps: Deps) -> None:
    @app.view(ids.START_MODAL)
    def handle_start_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = body["user"]["id"]
        block_ids = current_block_ids(view)
        first_input = block_ids.get("focus") or next(iter(block_ids.values()), "focus")
        metadata = StartMetadata.load(view.get("private_metadata"))
        form = read_start_state(view)
        if form.checklist_id and form.checklist_id not in deps.checklist_names:
            raise UnreadablePayload("not a checklist we offered")
        errors = validate_start_form(form, today=deps.today(), opener=user_id)
        if errors:
            ack(
                response_action="errors",
                errors={block_ids.get(field, field): message for field, message in errors.items()},
            )
            return
        new = new_review_from(
            deps, form, team_id=metadata.team_id or team_id_of(body), channel_id=metadata.channel_id
        )
        opened = open_review(deps, new=new, user_id=user_id, response_url=metadata.response_url)
        if isinstance(opened, str):
            ack(response_action="errors", errors={first_input: opened})
            return
        ack()
