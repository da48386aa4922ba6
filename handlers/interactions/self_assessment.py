"""Self-assessment buttons: Start, Back and Change, closing's confirmation, and "Post the
results"."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.self_assessment.service import (
    OnPage,
    answer_page,
    close_early_confirmed,
    open_self_assessment,
    post_channel_results,
)
from bot.self_assessment.views import SectionMetadata
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value, record_id, whole_number


def register(app: App, deps: Deps) -> None:
    @app.action(ids.CHECKLIST_START)
    def handle_checklist_start(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        review_id = record_id(action_value(action))
        ack()
        asker = Asker.of(deps, body, client)
        view = open_self_assessment(deps, review_id=review_id, user_id=asker.user_id)
        asker.open_modal(view, unrecorded=True)

    @app.action(ids.CHECKLIST_GOTO_SECTION)
    def handle_checklist_goto(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        """Keep the page, then show another section; updated directly, not by the outbox:
        nothing written may record when someone answers."""
        view = body["view"]
        metadata = SectionMetadata.load(view.get("private_metadata"))
        section = metadata.section if view["callback_id"] == ids.CHECKLIST_SECTION_MODAL else 0
        page = OnPage(metadata.review_id, section, view["state"]["values"])
        target = record_id(action_value(action))
        ack()
        next_view = answer_page(deps, page=page, user_id=body["user"]["id"], target=target)
        Asker.of(deps, body, client).later(
            lambda: client.views_update(view_id=view["id"], view=next_view), unrecorded=True
        )

    @app.action(ids.CHECKLIST_CLOSE_CANCEL)
    def handle_checklist_close_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        Asker.of(deps, body, client).tell("OK, the self-assessment stays open.", replace=True)

    @app.action(ids.CHECKLIST_CLOSE_CONFIRM)
    def handle_checklist_close_confirm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        asker = Asker.of(deps, body, client)
        review_id = whole_number(action.get("value"))
        url = asker.response_url
        asker.later(
            lambda: asker.tell(
                close_early_confirmed(
                    deps, review_id=review_id, user_id=asker.user_id, response_url=url
                ),
                replace=True,
            )
        )

    @app.action(ids.CHECKLIST_POST_RESULTS)
    def handle_checklist_post_results(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        """The same checks as `/psif results`, made once the click is acknowledged."""
        ack()
        asker = Asker.of(deps, body, client)
        review_id = whole_number(action.get("value"))

        def post() -> None:
            answers = post_channel_results(
                lambda: client,
                deps,
                review_id=review_id,
                user_id=asker.user_id,
                team_id=asker.team_id,
            )
            if answers:
                asker.tell("\n".join(answers))

        asker.later(post)
