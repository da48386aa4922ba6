"""An action's buttons and ⋯ menu (card, reminders, App Home), and a reminder's RAG buttons."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.core.actions import RagStatus
from bot.deps import Deps
from bot.improvement_actions.service import Press, choose_rag, press
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value, reading, record_id, verb_and_id

MENU = frozenset({ids.ACTION_MORE_REOPEN, ids.ACTION_MORE_DROP, ids.ACTION_MORE_HISTORY})
RAGS = frozenset(rag.value for rag in RagStatus)


def register(app: App, deps: Deps) -> None:
    def handle_action_press(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        """A move is saved before the acknowledgement: an acknowledged click is never lost."""
        if action.get("action_id") == ids.ACTION_MORE:
            verb, action_id = verb_and_id(action_value(action), MENU)
        else:
            verb, action_id = str(action.get("action_id")), record_id(action_value(action))
        with reading("an action's button"):
            pressed = Press(verb)
        in_home = (body.get("view") or {}).get("type") == "home"
        asker = Asker.of(deps, body, client)
        press(deps, asker, pressed=pressed, action_id=action_id, in_home=in_home)
        ack()

    for action_id in (
        ids.ACTION_START,
        ids.ACTION_DONE,
        ids.ACTION_EDIT,
        ids.ACTION_PROGRESS,
        ids.ACTION_MORE,
    ):
        app.action(action_id)(handle_action_press)

    @app.action(ids.ACTION_SET_RAG)
    def handle_action_rag(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        """Saved before the acknowledgement, like a move: an acknowledged press is kept."""
        rag, action_id = verb_and_id(action_value(action), RAGS)
        asker = Asker.of(deps, body, client)
        reminder = choose_rag(
            deps,
            action_id=action_id,
            user_id=asker.user_id,
            rag=RagStatus(rag),
            # Slack stamps each press; a redelivered press repeats it and saves nothing more.
            request_key=f"rag:{action_id}:{action.get('action_ts') or asker.trigger_id}",
        )
        ack()
        asker.tell(reminder.text, blocks=reminder.blocks, replace=True)
