"""The merge modal opened from `/afi list`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.changes import merge_area
from bot.afis.views import AfiFormMetadata, parse_merge_target
from bot.deps import Deps
from bot.slack import ids


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_MERGE_MODAL)
    def handle_afi_merge_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        target_id = parse_merge_target(view["state"]["values"])
        if target_id is None or metadata.afi_id is None:
            ack(response_action="errors", errors={ids.AFI_MERGE_TARGET: "Choose an area."})
            return
        reason = merge_area(
            deps, afi_id=metadata.afi_id, target_id=target_id, user_id=body["user"]["id"]
        )
        if reason is not None:
            ack(response_action="errors", errors={ids.AFI_MERGE_TARGET: reason})
            return
        ack()
