"""The `/afi import` form's submission: add the ticked areas as worded, or say what to fix."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.change_views import build_notice_modal
from bot.afis.import_views import ImportFormMetadata, parse_import_form
from bot.afis.importing import import_chosen
from bot.core.errors import Refusal
from bot.deps import Deps
from bot.slack import ids


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_IMPORT_MODAL)
    def handle_afi_import_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = ImportFormMetadata.load(view.get("private_metadata", ""))
        chosen = parse_import_form(view["state"]["values"])
        try:
            errors = import_chosen(
                deps, metadata=metadata, user_id=body["user"]["id"], chosen=chosen
            )
        except Refusal as refusal:
            ack(response_action="update", view=build_notice_modal(refusal.message))
            return
        if errors:
            ack(response_action="errors", errors=errors)
            return
        ack()
