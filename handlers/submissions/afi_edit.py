"""The edit modal opened from `/afi list`: inline errors, or saved."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.changes import edit_area, form_problems
from bot.afis.sections import sections_of
from bot.afis.views import AfiFormMetadata, parse_afi_form
from bot.deps import Deps
from bot.slack import ids
from bot.slack.payloads import UnreadablePayload


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_EDIT_MODAL)
    def handle_afi_edit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        form = parse_afi_form(
            view["state"]["values"], sections_of(deps.checklists, metadata.checklist_id)
        )
        errors = form_problems(form)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        if metadata.afi_id is None:  # the edit modal always names its AFI
            raise UnreadablePayload("an edit form without its AFI")
        reason = edit_area(deps, afi_id=metadata.afi_id, user_id=body["user"]["id"], form=form)
        if reason is not None:
            ack(response_action="errors", errors={ids.AFI_TEXT: reason})
            return
        ack()
