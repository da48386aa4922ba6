"""The peer councils form's submission: inline errors, or saved and the channel told."""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.deps import Deps
from bot.slack import ids
from bot.team.service import save_peers
from bot.team.views import PeersMetadata, read_peers_state


def register(app: App, deps: Deps) -> None:
    @app.view(ids.PEERS_MODAL)
    def handle_peers_submission(ack: Ack, body: dict[str, Any], view: dict[str, Any]) -> None:
        metadata = PeersMetadata.load(view.get("private_metadata"))
        form = read_peers_state(view, metadata)
        save_peers(deps, user_id=body["user"]["id"], metadata=metadata, form=form)
        ack()
