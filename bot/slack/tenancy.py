"""Tenants apart: a request reaches only reviews its workspace hosts or its user takes part
in (over Slack Connect). Reviews found by channel are vouched for by Slack; ones found by a
number (a button, metadata, typed text) are checked in `bot.review_access.get_review`.
"""

from __future__ import annotations

import contextvars
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import App, BoltContext


@dataclass(frozen=True)
class Requester:
    team_id: str  # the workspace whose installation authorised the request
    user_id: str


_requester: contextvars.ContextVar[Requester | None] = contextvars.ContextVar(
    "psif_requester", default=None
)


def may_reach(*, team_id: str, member_ids: Callable[[], set[str]]) -> bool:
    requester = _requester.get()
    if requester is None or requester.team_id == team_id:
        return True
    return requester.user_id in member_ids()


def register(app: App) -> None:
    @app.middleware
    def remember_requester(context: BoltContext, next: Callable[[], Any]) -> Any:
        """Set on every request: a worker thread serves many workspaces in turn."""
        _requester.set(
            Requester(team_id=str(context.team_id or ""), user_id=str(context.user_id or ""))
        )
        return next()
