"""Self-assessment buttons: "Start self-assessment" in messages, Back and Change in modals,
the confirmation under `/psif checklist close`, and "Post the results" once it has closed."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.self_assessment.answering import OnPage, go_to_section, open_self_assessment
from bot.self_assessment.closing import close_early_confirmed
from bot.self_assessment.modals import SectionMetadata
from bot.self_assessment.results_posting import post_results_for
from bot.slack import ids
from bot.slack.calls import direct_message, open_view
from bot.slack.payloads import action_value, record_id, team_id_of, whole_number


def register(app: App, deps: Deps) -> None:
    @app.action(ids.CHECKLIST_START)
    def handle_checklist_start(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        review_id = record_id(action_value(action))
        ack()
        user_id = body["user"]["id"]
        view = open_self_assessment(deps, review_id=review_id, user_id=user_id)

        def ask_to_click_again() -> None:
            text = "Slack took too long to open your self-assessment. Please click again."
            if "response_url" not in body:  # the Home tab's button: no message to answer
                direct_message(client, user=user_id, text=text)
                return
            respond(text=text, response_type="ephemeral", replace_original=False)

        open_view(client, trigger_id=body["trigger_id"], view=view, on_expired=ask_to_click_again)

    @app.action(ids.CHECKLIST_GOTO_SECTION)
    def handle_checklist_goto(
        ack: Ack,
        body: dict[str, Any],
        action: dict[str, Any],
        client: WebClient,
    ) -> None:
        """Move to another section, keeping what is on the current page first."""
        view = body["view"]
        metadata = SectionMetadata.load(view.get("private_metadata"))
        on_section_page = view["callback_id"] == ids.CHECKLIST_SECTION_MODAL
        page = OnPage(
            metadata.review_id,
            metadata.section if on_section_page else 0,
            view["state"]["values"],
        )
        target = record_id(action_value(action))
        ack()
        next_view = go_to_section(deps, page=page, user_id=body["user"]["id"], target=target)
        client.views_update(view_id=view["id"], view=next_view)

    @app.action(ids.CHECKLIST_ANSWER)
    def handle_checklist_answer(ack: Ack) -> None:
        """A choice beside a statement: Slack reports it as it is made; it is saved with
        its section (Next or Back), so there is nothing to do now."""
        ack()

    @app.action(ids.CHECKLIST_CLOSE_CANCEL)
    def handle_checklist_close_cancel(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="OK, the self-assessment stays open.", replace_original=True)

    @app.action(ids.CHECKLIST_CLOSE_CONFIRM)
    def handle_checklist_close_confirm(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond
    ) -> None:
        ack()
        review_id = whole_number(action.get("value"))
        if review_id is None:
            respond(text="That button is out of date; type `/psif checklist close` again.")
            return
        answer = close_early_confirmed(
            deps,
            review_id=review_id,
            user_id=body["user"]["id"],
            response_url=body.get("response_url"),
        )
        respond(text=answer, replace_original=True)

    @app.action(ids.CHECKLIST_POST_RESULTS)
    def handle_checklist_post_results(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], respond: Respond, client: WebClient
    ) -> None:
        """The channel's "Post the results": the same checks as `/psif results`."""
        ack()
        review_id = whole_number(action.get("value"))
        if review_id is None:
            respond(text="That button is out of date; type `/psif results` instead.")
            return
        problem = post_results_for(
            client, deps, review_id=review_id, user_id=body["user"]["id"], team_id=team_id_of(body)
        )
        if problem:
            respond(text=problem, response_type="ephemeral", replace_original=False)
