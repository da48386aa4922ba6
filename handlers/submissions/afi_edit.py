"""The edit modal opened from `/afi list`: validate inline, save, refresh the vote."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.sections import sections_of
from bot.afis.service import GONE, refresh_open_vote, review_if_allowed
from bot.afis.views import (
    AfiFormMetadata,
    parse_afi_form,
)
from bot.deps import Deps
from bot.slack import ids
from bot.slack.payloads import UnreadablePayload
from handlers.submissions.afi_add import form_errors
from storage.db import transaction
from storage.models.reviews import Review
from storage.repositories.afis import edit_afi


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_EDIT_MODAL)
    def handle_afi_edit_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        user_id = body["user"]["id"]
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        form = parse_afi_form(
            view["state"]["values"], sections_of(deps.checklists, metadata.checklist_id)
        )
        errors = form_errors(form)
        if errors:
            ack(response_action="errors", errors=errors)
            return
        if metadata.afi_id is None:  # the edit modal always names its AFI
            raise UnreadablePayload("an edit form without its AFI")
        with transaction(deps.sessions) as session:
            review = review_if_allowed(session, metadata.afi_id, user_id)
            edited = (
                edit_afi(
                    session=session,
                    review=review,
                    afi_id=metadata.afi_id,
                    text=form.text,
                    section_number=form.section_number,
                    evidence=form.evidence,
                    actor_id=user_id,
                    now=deps.now(),
                )
                if isinstance(review, Review)
                else None
            )
        if not isinstance(review, Review) or edited is None:
            reason = review if isinstance(review, str) else GONE
            ack(response_action="errors", errors={ids.AFI_TEXT: reason})
            return
        ack()
        refresh_open_vote(deps, review.id)
