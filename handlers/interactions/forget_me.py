"""The buttons under `/psif forget-me`'s confirmation."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App, Respond

from bot.deps import Deps
from bot.self_assessment.privacy import forget_me
from bot.self_assessment.privacy_views import forgotten_reply
from bot.slack import ids


def register(app: App, deps: Deps) -> None:
    @app.action(ids.FORGET_ME_CANCEL)
    def handle_forget_me_cancel(ack: Ack, respond: Respond) -> None:
        ack()
        respond(text="OK, nothing was removed.", replace_original=True)

    @app.action(ids.FORGET_ME_CONFIRM)
    def handle_forget_me_confirm(ack: Ack, body: dict[str, Any], respond: Respond) -> None:
        ack()
        forgotten = forget_me(deps, user_id=body["user"]["id"])
        respond(text=forgotten_reply(forgotten), replace_original=True)
