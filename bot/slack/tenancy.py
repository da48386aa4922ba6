"""Tenants apart: with many workspaces, a request reaches only reviews its workspace hosts,
or ones its user takes part in (a peer from another council, over Slack Connect).

Reviews found by channel need nothing more: Slack vouches for the channel a request comes
from, and channel ids are unique across workspaces. Reviews found by a number in a button,
a modal's private_metadata or typed text are checked here, in `bot.review_access.get_review`,
against the workspace that authorised the request — so a guessed number, forged
metadata or a button payload copied from another workspace finds nothing. Work that no
request carries (the outbox, the scheduler) is not limited.
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
    """Whether the current request may see a review hosted by `team_id`."""
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
