"""Importing answers from a survey tool: the file chosen, then the confirmation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.survey.service import confirm_import, preview_import
from bot.survey.views import ImportMetadata, build_import_reading, chosen_file


def register(app: App, deps: Deps) -> None:
    @app.view(ids.SURVEY_IMPORT_MODAL)
    def handle_import_file(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        """Show "reading" at once; once acknowledged, fetch the file from Slack and show what
        was understood in the same modal."""
        metadata = ImportMetadata.load(view.get("private_metadata"))
        file_id = chosen_file(view["state"]["values"])
        if file_id is None:
            ack(response_action="errors", errors={ids.SURVEY_IMPORT_FILE: "Choose a CSV file."})
            return
        ack(response_action="update", view=build_import_reading())
        user_id, view_id = body["user"]["id"], str(view["id"])

        def show_what_was_read() -> None:
            preview = preview_import(
                deps, client, review_id=metadata.review_id, user_id=user_id, file_id=file_id
            )
            client.views_update(view_id=view_id, view=preview)

        Asker.of(deps, body, client).later(show_what_was_read)

    @app.view(ids.SURVEY_IMPORT_CONFIRM)
    def handle_import_confirm(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        metadata = ImportMetadata.load(view.get("private_metadata"))
        ack()
        asker = Asker.of(deps, body, client)
        file_id = metadata.file_id or ""
        asker.later(
            lambda: asker.tell(
                confirm_import(
                    deps,
                    client,
                    review_id=metadata.review_id,
                    user_id=asker.user_id,
                    file_id=file_id,
                )
            )
        )
