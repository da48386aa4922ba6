"""The review's buttons (stage and close confirmations, `/psif done`'s Do it anyway, the
status's More) and the fieldwork dates picked in the Appendix 1 form. The form is updated
right after the ack, not through the outbox: it matters only while the form is open."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError

from bot.deps import Deps
from bot.reviews.service import (
    confirm_close,
    confirm_stage_move,
    milestone_done,
    review_status_details,
)
from bot.reviews.views import (
    StartMetadata,
    build_start_modal,
    read_start_state,
    without_stale_suggestions,
)
from bot.slack import ids
from bot.slack.after_ack import Asker


def register(app: App, deps: Deps) -> None:
    @app.action(ids.STAGE_ADVANCE_CANCEL)
    @app.action(ids.CLOSE_CANCEL)
    def handle_stage_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        Asker.of(deps, body, client).tell("OK, the review stays as it is.", replace=True)

    @app.action(ids.STAGE_ADVANCE_CONFIRM)
    @app.action(ids.CLOSE_CONFIRM)
    def handle_stage_confirm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        confirm = confirm_close if action["action_id"] == ids.CLOSE_CONFIRM else confirm_stage_move
        answer = confirm(
            deps,
            user_id=body["user"]["id"],
            value=str(action.get("value", "")),
            response_url=body.get("response_url"),
        )
        Asker.of(deps, body, client).tell(answer, replace=True)

    @app.action(ids.STATUS_MORE)
    def handle_status_more(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        channel_id = str((body.get("channel") or {}).get("id", ""))
        text, blocks = review_status_details(deps, channel_id=channel_id)
        ack()
        Asker.of(deps, body, client).tell(text, blocks=blocks)

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
                # An earlier pick's update landed since; this action's state is the newest.
                client.views_update(view_id=view["id"], view=refreshed)

        Asker.of(deps, body, client).later(update)

    @app.action(ids.MILESTONE_DONE_ANYWAY)
    def handle_milestone_anyway(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        text, blocks = milestone_done(
            deps,
            channel_id=body["channel"]["id"],
            user_id=body["user"]["id"],
            word=str(action.get("value", "")),
            anyway=True,
        )
        Asker.of(deps, body, client).tell(text, blocks=blocks, replace=True)

    @app.action(ids.MILESTONE_DONE_CANCEL)
    def handle_milestone_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        Asker.of(deps, body, client).tell("OK, nothing was recorded.", replace=True)
