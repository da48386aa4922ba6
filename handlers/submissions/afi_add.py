"""The `/afi add` modal's submission: validate inline, store, confirm to the author."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.changes import form_problems
from bot.afis.duplicate_views import looks_like_error
from bot.afis.sections import sections_of
from bot.afis.service import LooksLike, NewAfiRequest, add_area
from bot.afis.views import AfiFormMetadata, parse_afi_form
from bot.deps import Deps
from bot.slack import ids
from bot.slack.payloads import submission_key, team_id_of

NO_REVIEW = (
    "The review in this channel has been closed, so nothing was added. "
    "Copy your text before closing this form."
)


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_ADD_MODAL)
    def handle_afi_add_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        form = parse_afi_form(
            view["state"]["values"], sections_of(deps.checklists, metadata.checklist_id)
        )
        errors = form_problems(form)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        added = add_area(
            deps,
            NewAfiRequest(
                team_id=team_id_of(body),
                channel_id=metadata.channel_id,
                user_id=body["user"]["id"],
                text=form.text,
                section_number=form.section_number,
                evidence=form.evidence,
                request_key=submission_key(view),
                response_url=metadata.response_url,
                asked_in=view.get("id"),
            ),
        )
        if isinstance(added, LooksLike):
            ack(response_action="errors", errors={ids.AFI_TEXT: looks_like_error(added)})
            return
        if isinstance(added, str):
            ack(response_action="errors", errors={ids.AFI_TEXT: added})
            return
        ack()
