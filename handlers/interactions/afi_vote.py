"""Vote and Remove buttons on the channel's voting message.

A click is stored before it is acknowledged, so an acknowledged vote survives a worker
restart; the voter's answer and the tally follow through the outbox, so a slow Slack never
holds up recording the next person's click.
"""

from __future__ import annotations

from typing import Any

from slack_bolt import Ack, App

from bot.afis.service import cast_vote
from bot.deps import Deps
from bot.slack import ids
from bot.slack.payloads import action_value, record_ids
from storage.repositories.afi_vote_clicks import VoteClick


def parse_click(body: dict[str, Any], action: dict[str, Any]) -> VoteClick:
    """The click as a value; UnreadablePayload if the button isn't one of ours."""
    round_id, afi_id = record_ids(action_value(action), 2)
    # Slack stamps each click with its own action_ts; a redelivered click repeats it.
    action_ts = str(action.get("action_ts") or "")
    return VoteClick(
        round_id=round_id,
        afi_id=afi_id,
        voter_id=body["user"]["id"],
        key=(action_ts or str(body.get("trigger_id", "")))[:64],
        adding=action["action_id"] == ids.AFI_VOTE_ADD,
        clicked_at=_seconds(action_ts),
    )


def _seconds(action_ts: str) -> float | None:
    try:
        return float(action_ts)
    except ValueError:
        return None


def register(app: App, deps: Deps) -> None:
    def handle_afi_vote_click(ack: Ack, body: dict[str, Any], action: dict[str, Any]) -> None:
        cast_vote(deps, parse_click(body, action), response_url=body.get("response_url"))
        ack()

    app.action(ids.AFI_VOTE_ADD)(handle_afi_vote_click)
    app.action(ids.AFI_VOTE_REMOVE)(handle_afi_vote_click)
