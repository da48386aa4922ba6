"""The controls on an action's card and in the App Home: start, mark done, edit, and the
overflow menu's drop, reopen and history."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot import ids
from bot.actions import ActionStatus
from bot.deps import Deps
from bot.views.action_modal import ActionMetadata, build_action_modal, build_drop_modal
from bot.views.actions import build_history_modal
from handlers.action_flow import after_change, apply_status, check_may_manage, tell
from handlers.slack_calls import open_view
from storage.db import transaction
from storage.repositories.actions import afi_choices, get_action, item_of, status_history

GONE = "That action no longer exists."

OVERFLOW_MOVES = {ids.ACTION_MORE_REOPEN: ActionStatus.OPEN}


def _response_url(body: dict[str, Any]) -> str | None:
    url = body.get("response_url")
    return str(url) if url else None


def register(app: App, deps: Deps) -> None:
    def move(
        body: dict[str, Any], client: WebClient, *, action_id: int, target: ActionStatus
    ) -> None:
        user_id = body["user"]["id"]
        outcome = apply_status(deps, action_id=action_id, target=target, user_id=user_id)
        if outcome.problem:
            tell(client, user_id=user_id, response_url=_response_url(body), text=outcome.problem)
            return
        after_change(client, deps, outcome=outcome, actor_id=user_id)

    def open_for(body: dict[str, Any], client: WebClient, *, action_id: int, verb: str) -> None:
        """Open the edit, drop or history modal, if the user may."""
        user_id = body["user"]["id"]
        response_url = _response_url(body)
        if verb == ids.ACTION_MORE_HISTORY:
            with transaction(deps.sessions) as session:
                found = get_action(session=session, action_id=action_id)
                shown = item_of(found) if found else None
                history = status_history(session=session, action_id=action_id)
            if shown is None:
                tell(client, user_id=user_id, response_url=response_url, text=GONE)
                return
            view = build_history_modal(shown, history, zone=deps.settings.timezone)
        else:
            checked = check_may_manage(deps, action_id=action_id, user_id=user_id)
            item = checked.item
            if checked.problem or item is None:
                tell(client, user_id=user_id, response_url=response_url, text=str(checked.problem))
                return
            metadata = ActionMetadata(
                review_id=item.review_id,
                channel_id=item.channel_id or body.get("channel", {}).get("id", ""),
                action_id=item.id,
                response_url=response_url,
            )
            if verb == ids.ACTION_MORE_DROP:
                view = build_drop_modal(item=item, metadata=metadata)
            else:
                with transaction(deps.sessions) as session:
                    prioritised, others = afi_choices(session=session, review_id=item.review_id)
                view = build_action_modal(
                    metadata=metadata, prioritised=prioritised, others=others, existing=item
                )
        open_view(
            client,
            trigger_id=body["trigger_id"],
            view=view,
            on_expired=lambda: tell(
                client,
                user_id=user_id,
                response_url=response_url,
                text="Slack took too long to open the form. Please click again.",
            ),
        )

    @app.action(ids.ACTION_START)
    def handle_action_start(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        move(body, client, action_id=int(action["value"]), target=ActionStatus.IN_PROGRESS)

    @app.action(ids.ACTION_DONE)
    def handle_action_done(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        move(body, client, action_id=int(action["value"]), target=ActionStatus.DONE)

    @app.action(ids.ACTION_EDIT)
    def handle_action_edit(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        open_for(body, client, action_id=int(action["value"]), verb=ids.ACTION_EDIT)

    @app.action(ids.ACTION_MORE)
    def handle_action_more(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        verb, _, action_id = action["selected_option"]["value"].partition(":")
        if verb in OVERFLOW_MOVES:
            move(body, client, action_id=int(action_id), target=OVERFLOW_MOVES[verb])
        else:
            open_for(body, client, action_id=int(action_id), verb=verb)
