"""The buttons under `/psif forget-me`'s confirmation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.privacy.service import forget_me
from bot.slack import ids
from bot.slack.after_ack import Asker


def register(app: App, deps: Deps) -> None:
    @app.action(ids.FORGET_ME_CANCEL)
    def handle_forget_me_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        Asker.of(deps, body, client).tell("OK, nothing was removed.", replace=True)

    @app.action(ids.FORGET_ME_CONFIRM)
    def handle_forget_me_confirm(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        asker = Asker.of(deps, body, client)
        reply = forget_me(deps, user_id=asker.user_id)
        # Straight from Slack: an outbox row would name them again right after forgetting.
        asker.later(lambda: asker.tell_unrecorded(reply), unrecorded=True)
