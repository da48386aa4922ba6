"""The withdraw modal opened from `/afi list`."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.change_views import build_notice_modal
from bot.afis.changes import withdraw_area
from bot.afis.views import AfiFormMetadata
from bot.deps import Deps
from bot.slack import ids
from bot.slack.payloads import UnreadablePayload


def register(app: App, deps: Deps) -> None:
    @app.view(ids.AFI_WITHDRAW_MODAL)
    def handle_afi_withdraw_submission(
        ack: Ack, body: dict[str, Any], view: dict[str, Any]
    ) -> None:
        metadata = AfiFormMetadata.load(view.get("private_metadata", ""))
        if metadata.afi_id is None:  # the withdraw modal always names its AFI
            raise UnreadablePayload("a withdraw form without its AFI")
        reason = withdraw_area(deps, afi_id=metadata.afi_id, user_id=body["user"]["id"])
        if reason is not None:
            ack(response_action="update", view=build_notice_modal(reason))
            return
        ack()
