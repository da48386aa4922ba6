"""Self-assessment modal submissions: save a section and move on; finish."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.home.service import publish_home
from bot.self_assessment.service import OnPage, answer_page, finish_answering, thank_finisher
from bot.self_assessment.views import SectionMetadata
from bot.slack import ids
from bot.slack.after_ack import Asker


def register(app: App, deps: Deps) -> None:
    @app.view(ids.CHECKLIST_SECTION_MODAL)
    def handle_checklist_section(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = SectionMetadata.load(view.get("private_metadata"))
        page = OnPage(metadata.review_id, metadata.section, view["state"]["values"])
        next_view = answer_page(deps, page=page, user_id=body["user"]["id"])
        ack(response_action="update", view=next_view)

    @app.view(ids.CHECKLIST_SUMMARY_MODAL)
    def handle_checklist_finish(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        review_id = SectionMetadata.load(view.get("private_metadata")).review_id
        finished = finish_answering(deps, review_id=review_id, user_id=user_id)
        if finished.thanks is None:
            ack(response_action="update", view=finished.view)
            return
        ack()
        thanks = finished.thanks

        def thank() -> None:
            """Direct calls, not outbox items (see thank_finisher); then their Home tab."""
            thank_finisher(client, deps, review_id=review_id, user_id=user_id, thanks=thanks)
            publish_home(client, deps, user_id=user_id)

        Asker.of(deps, body, client).later(thank, unrecorded=True)
