"""Add anyway / Cancel under "This looks like AFI n" (`/afi add <text>` repeating an AFI)."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis.rules import afi_text_problem
from bot.afis.service import LooksLike, NewAfiRequest, add_area
from bot.deps import Deps
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.payloads import action_value

OUT_OF_DATE = "That button is out of date; nothing was added. Type `/afi add` again."


def register(app: App, deps: Deps) -> None:
    @app.action(ids.AFI_ADD_ANYWAY)
    def handle_afi_add_anyway(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        asker = Asker.of(deps, body, client)
        text = str(action_value(action) or "").strip()
        container = body.get("container") or {}
        channel_id = str(container.get("channel_id") or (body.get("channel") or {}).get("id"))
        if afi_text_problem(text) or not channel_id:
            asker.tell(OUT_OF_DATE, replace=True)
            return
        added = add_area(
            deps,
            NewAfiRequest(
                team_id=asker.team_id,
                channel_id=channel_id,
                user_id=asker.user_id,
                text=text,
                duplicate_ok=True,
                # A second press of the same question's button adds nothing more.
                request_key=f"anyway:{channel_id}:{container.get('message_ts')}",
            ),
        )
        assert not isinstance(added, LooksLike)  # duplicate_ok: it is never asked again
        asker.tell(added if isinstance(added, str) else added.text, replace=True)

    @app.action(ids.AFI_ADD_CANCEL)
    def handle_afi_add_cancel(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        ack()
        Asker.of(deps, body, client).tell("OK, nothing was added.", replace=True)
