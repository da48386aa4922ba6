"""Self-assessment modal submissions: save a section and move on; finish."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.home.service import publish_home
from bot.self_assessment.checklist import Checklist, Section
from bot.self_assessment.modals import SectionMetadata, parse_section_state
from bot.self_assessment.service import (
    CannotAnswer,
    find_respondent,
    finish,
    resume_view,
    save_own_section,
)
from bot.slack import ids
from bot.slack.calls import direct_message
from bot.slack.payloads import UnreadablePayload
from storage.db import transaction


def section_of(checklist: Checklist, number: int) -> Section:
    """The checklist's section `number`; UnreadablePayload if it has no such section."""
    if not 1 <= number <= len(checklist.sections):
        raise UnreadablePayload(f"no section {number}")
    return checklist.sections[number - 1]


def register(app: App, deps: Deps) -> None:
    @app.view(ids.CHECKLIST_SECTION_MODAL)
    def handle_checklist_section(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        """Save the section, then show the next one (or the review screen) in the same modal."""
        user_id = body["user"]["id"]
        metadata = SectionMetadata.load(view.get("private_metadata"))
        with transaction(deps.sessions) as session:
            try:
                respondent = find_respondent(
                    session=session, deps=deps, review_id=metadata.review_id, user_id=user_id
                )
            except CannotAnswer as cannot:
                next_view = cannot.notice
            else:
                section_ = section_of(respondent.checklist, metadata.section)
                progress = save_own_section(
                    session=session,
                    respondent=respondent,
                    saved=parse_section_state(view["state"]["values"], section_),
                )
                next_view = resume_view(respondent, progress, after=metadata.section)
        ack(response_action="update", view=next_view)

    @app.view(ids.CHECKLIST_SUMMARY_MODAL)
    def handle_checklist_finish(
        ack: Ack, body: dict[str, Any], view: dict[str, Any], client: WebClient
    ) -> None:
        user_id = body["user"]["id"]
        metadata = SectionMetadata.load(view.get("private_metadata"))
        with transaction(deps.sessions) as session:
            finished = finish(
                session=session, deps=deps, review_id=metadata.review_id, user_id=user_id
            )
        if finished.thanks is None:
            ack(response_action="update", view=finished.view)
            return
        ack()
        direct_message(client, user=user_id, text=finished.thanks)
        publish_home(client, deps, user_id=user_id)
