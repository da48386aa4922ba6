"""Picking fieldwork dates in the start modal fills in the guidance's suggested dates.

The modal is updated right after the acknowledgement, not through the outbox: an update
matters only while the person has the form open, so there is nothing to retry later."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.reviews.form import StartMetadata, without_stale_suggestions
from bot.reviews.start_form import read_start_state
from bot.reviews.start_modal import build_start_modal
from bot.slack import ids
from bot.slack.after_ack import Asker


def register(app: App, deps: Deps) -> None:
    @app.action(ids.START_FIELDWORK_DATE)
    def handle_fieldwork_date_picked(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        view = body["view"]
        metadata = StartMetadata.load(view.get("private_metadata"))
        form = without_stale_suggestions(read_start_state(view), metadata)
        ack()
        refreshed = build_start_modal(
            metadata=metadata.model_copy(update={"revision": metadata.revision + 1}),
            checklists=deps.checklist_names,
            form=form,
        )

        def update() -> None:
            try:
                client.views_update(view_id=view["id"], hash=view.get("hash"), view=refreshed)
            except SlackApiError as error:
                if error.response.get("error") != "hash_conflict":
                    raise
                # An earlier pick's update landed after this action was sent. This action's
                # state is the newest the person has seen, so it wins.
                client.views_update(view_id=view["id"], view=refreshed)

        Asker.of(deps, body, client).later(update)
