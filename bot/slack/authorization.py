"""Whose token answers a request, found without asking Slack.

Bolt's own authorisation calls `auth.test` in front of the acknowledgement (so a slow Slack
made bursts miss the 3 seconds) only to learn the bot's ids, which serve to ignore events
the bot causes; it subscribes to none. A revoked token still fails, and `tokens_revoked`
removes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize

from bot.settings import Settings
from bot.slack.installations import Workspaces


class _Tokens(Authorize):
    """The workspace's stored bot token (none: Bolt says the app is no longer installed),
    or with no `workspaces`, the one bot token."""

    def __init__(self, workspaces: Workspaces | None, bot_token: str | None) -> None:
        self.workspaces = workspaces
        self.bot_token = bot_token

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult | None:
        ids = {"enterprise_id": enterprise_id, "team_id": team_id, "user_id": user_id}
        if self.workspaces is None:
            return AuthorizeResult(**ids, bot_token=self.bot_token)
        bot = self.workspaces.current_bot(team_id) if team_id else None
        if bot is None or not bot.bot_token:
            return None
        return AuthorizeResult(
            **ids,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
        )


def authorization(
    settings: Settings, workspaces: Workspaces | None
) -> Callable[..., AuthorizeResult]:
    """The stored tokens with many workspaces (`workspaces`), else the one bot token."""
    token = settings.slack_bot_token
    if workspaces is None:
        assert token is not None  # the settings require one or the other
    chosen = _Tokens(workspaces, token.get_secret_value() if token else None)
    # App takes an Authorize as it is (one may find no token), though it's typed otherwise.
    return cast(Callable[..., AuthorizeResult], chosen)
