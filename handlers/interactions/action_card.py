"""The controls on an action's card and in the App Home: start, mark done, update progress,
edit, and the overflow menu's drop, reopen and history."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.actions import ActionStatus
from bot.core.errors import Refusal
from bot.deps import Deps
from bot.home.service import refresh_home
from bot.improvement_actions.forms import ActionForm, change_form, history_view
from bot.improvement_actions.status_change import apply_status
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value, record_id, verb_and_id

MORE_VERBS = frozenset({ids.ACTION_MORE_REOPEN, ids.ACTION_MORE_DROP, ids.ACTION_MORE_HISTORY})


class Clicked:
    """Who clicked where: enough to answer them and to open a modal from their click."""

    def __init__(self, deps: Deps, body: dict[str, Any], client: WebClient) -> None:
        self.asker = Asker.of(deps, body, client)
        self.user_id = self.asker.user_id
        self.response_url = self.asker.response_url  # none in the Home tab
        self.in_home = (body.get("view") or {}).get("type") == "home"

    def refused(self, deps: Deps, problem: str) -> None:
        """Explain; a click in the Home tab came from an out-of-date picture, so redraw it."""
        self.asker.tell(problem)
        if self.in_home:
            refresh_home(deps, team_id=self.asker.team_id, user_id=self.user_id)

    def open(self, view: dict[str, Any]) -> None:
        self.asker.open_modal(view)


def register(app: App, deps: Deps) -> None:
    def move(ack: Ack, clicked: Clicked, action_id: int, target: ActionStatus) -> None:
        """Save the move, then acknowledge: an acknowledged click is never lost."""
        outcome = apply_status(deps, action_id=action_id, target=target, user_id=clicked.user_id)
        ack()
        if outcome.problem:
            clicked.refused(deps, outcome.problem)

    def open_form(clicked: Clicked, action_id: int, form: ActionForm | None) -> None:
        """A change form for the owner, the host lead or the Improvement Service; the
        history (form None) for anyone who can see the card."""
        try:
            view = (
                history_view(deps, action_id=action_id)
                if form is None
                else change_form(
                    deps,
                    action_id=action_id,
                    user_id=clicked.user_id,
                    form=form,
                    response_url=clicked.response_url,
                )
            )
        except Refusal as refusal:
            clicked.refused(deps, refusal.message)
            return
        clicked.open(view)

    @app.action(ids.ACTION_START)
    def handle_action_start(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        action_id = record_id(action_value(action))
        move(ack, Clicked(deps, body, client), action_id, ActionStatus.IN_PROGRESS)

    @app.action(ids.ACTION_DONE)
    def handle_action_done(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        action_id = record_id(action_value(action))
        move(ack, Clicked(deps, body, client), action_id, ActionStatus.DONE)

    @app.action(ids.ACTION_EDIT)
    def handle_action_edit(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        action_id = record_id(action_value(action))
        ack()
        open_form(Clicked(deps, body, client), action_id, ActionForm.EDIT)

    @app.action(ids.ACTION_PROGRESS)
    def handle_action_progress(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        action_id = record_id(action_value(action))
        ack()
        open_form(Clicked(deps, body, client), action_id, ActionForm.PROGRESS)

    @app.action(ids.ACTION_MORE)
    def handle_action_more(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        verb, action_id = verb_and_id(action_value(action), MORE_VERBS)
        clicked = Clicked(deps, body, client)
        if verb == ids.ACTION_MORE_REOPEN:
            move(ack, clicked, action_id, ActionStatus.OPEN)
            return
        ack()
        open_form(clicked, action_id, ActionForm.DROP if verb == ids.ACTION_MORE_DROP else None)
