"""Whose token answers a request, found without asking Slack.

Bolt's own authorisation calls `auth.test` before any listener runs: on the first request
with a single bot token, and on every request with many workspaces. That call stands in
front of the acknowledgement, so a slow Slack made whole bursts miss Slack's 3 seconds.
What it adds, the bot's own user and bot ids, serves only to ignore events the bot itself
causes, and the bot subscribes to none (`app_home_opened`, `app_uninstalled`,
`tokens_revoked`). A revoked token is still noticed: its Web API calls fail, and the
`tokens_revoked` event removes it.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, cast

from slack_bolt import BoltContext
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.authorize import Authorize

from bot.settings import Settings
from bot.slack.installations import Workspaces


class OneWorkspace(Authorize):
    """Every request is answered with the one bot token (SLACK_BOT_TOKEN)."""

    def __init__(self, bot_token: str) -> None:
        self.bot_token = bot_token

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult:
        return AuthorizeResult(
            enterprise_id=enterprise_id, team_id=team_id, user_id=user_id, bot_token=self.bot_token
        )


class InstalledWorkspaces(Authorize):
    """A request is answered with the stored bot token of the workspace it came from, or
    refused (Bolt says the app is no longer installed) when there is none."""

    def __init__(self, workspaces: Workspaces) -> None:
        self.workspaces = workspaces

    def __call__(
        self,
        *,
        context: BoltContext,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None,
        **_actor: Any,
    ) -> AuthorizeResult | None:
        bot = self.workspaces.current_bot(team_id) if team_id else None
        if bot is None or not bot.bot_token:
            return None
        return AuthorizeResult(
            enterprise_id=enterprise_id,
            team_id=team_id,
            user_id=user_id,
            bot_id=bot.bot_id,
            bot_user_id=bot.bot_user_id,
            bot_token=bot.bot_token,
            bot_scopes=bot.bot_scopes,
        )


def authorization(
    settings: Settings, workspaces: Workspaces | None
) -> Callable[..., AuthorizeResult]:
    """The stored tokens with many workspaces (`workspaces`), else the one bot token."""
    chosen: Authorize
    if workspaces is not None:
        chosen = InstalledWorkspaces(workspaces)
    else:
        assert settings.slack_bot_token is not None  # the settings require one or the other
        chosen = OneWorkspace(settings.slack_bot_token.get_secret_value())
    # App takes an Authorize as it is (one may find no token), though its parameter is
    # typed as a callable that always finds one.
    return cast(Callable[..., AuthorizeResult], chosen)
