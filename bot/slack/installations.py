"""Many workspaces (SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set): "Add to Slack", the tokens
kept by slack-sdk's SQLAlchemy stores, and the hosting workspace's client for work no request
carries (never another workspace's).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from slack_bolt.oauth.oauth_settings import OAuthSettings
from slack_sdk import WebClient
from slack_sdk.oauth.installation_store.models.bot import Bot
from slack_sdk.oauth.installation_store.sqlalchemy import SQLAlchemyInstallationStore
from slack_sdk.oauth.state_store.sqlalchemy import SQLAlchemyOAuthStateStore
from slack_sdk.oauth.token_rotation import TokenRotator
from sqlalchemy import Engine

from bot.settings import Settings
from bot.slack.client import make_client
from storage.models.installations import BOTS_TABLE, INSTALLATIONS_TABLE, OAUTH_STATES_TABLE

logger = logging.getLogger(__name__)

INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
# The bot scopes asked for on install; manifest.yml lists the same.
BOT_SCOPES = (
    "commands",
    "chat:write",
    "chat:write.public",
    "im:write",
    "users:read",
    "files:write",
    "files:read",
    "channels:read",
    "groups:read",
    "channels:history",
    "groups:history",
    "im:history",
    "usergroups:read",
)
STATE_SECONDS = 600  # an "Add to Slack" click must come back within ten minutes
ROTATE_MINUTES_BEFORE = 120  # a rotating token is refreshed this long before it expires

ClientFor = Callable[[str], WebClient | None]


def installation_store(settings: Settings, engine: Engine) -> SQLAlchemyInstallationStore:
    return SQLAlchemyInstallationStore(
        client_id=settings.slack_client_id or "",
        engine=engine,
        bots_table_name=BOTS_TABLE,
        installations_table_name=INSTALLATIONS_TABLE,
    )


def oauth_settings(settings: Settings, engine: Engine) -> OAuthSettings:
    assert settings.slack_client_secret is not None  # oauth_enabled
    return OAuthSettings(
        client_id=settings.slack_client_id,
        client_secret=settings.slack_client_secret.get_secret_value(),
        scopes=list(BOT_SCOPES),
        redirect_uri=(
            settings.slack_install_url + REDIRECT_PATH if settings.slack_install_url else None
        ),
        install_path=INSTALL_PATH,
        redirect_uri_path=REDIRECT_PATH,
        installation_store=installation_store(settings, engine),
        installation_store_bot_only=True,
        token_rotation_expiration_minutes=ROTATE_MINUTES_BEFORE,
        state_store=SQLAlchemyOAuthStateStore(
            expiration_seconds=STATE_SECONDS, engine=engine, table_name=OAUTH_STATES_TABLE
        ),
        state_expiration_seconds=STATE_SECONDS,
    )


def describe_mode(settings: Settings) -> str:
    if settings.oauth_enabled:
        return (
            "many workspaces (OAuth): each installs through /slack/install and its tokens "
            "are kept in the database"
        )
    return "one workspace (SLACK_BOT_TOKEN)"


@dataclass
class _Cached:
    client: WebClient | None
    until: float


class Workspaces:
    """The bot's client per installed workspace, cached `slack_token_cache_seconds` (so an
    uninstall another process saw stops messages within that); `forget` drops it now."""

    def __init__(
        self, settings: Settings, engine: Engine, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        assert settings.slack_client_secret is not None  # oauth_enabled
        self.settings = settings
        self.store = installation_store(settings, engine)
        self.rotator = TokenRotator(
            client_id=settings.slack_client_id or "",
            client_secret=settings.slack_client_secret.get_secret_value(),
            client=make_client(settings, token=""),
        )
        self.clock = clock
        self._cache: dict[str, _Cached] = {}
        self._lock = threading.Lock()

    def client_for(self, team_id: str) -> WebClient | None:
        now = self.clock()
        with self._lock:
            cached = self._cache.get(team_id)
            if cached is not None and cached.until > now:
                return cached.client
        bot = self.current_bot(team_id) if team_id else None
        client = (
            make_client(self.settings, token=bot.bot_token)
            if bot is not None and bot.bot_token
            else None
        )
        with self._lock:
            self._cache[team_id] = _Cached(client, now + self.settings.slack_token_cache_seconds)
        return client

    def forget(self, team_id: str) -> None:
        with self._lock:
            self._cache.pop(team_id, None)

    def remove(self, team_id: str) -> None:
        self.store.delete_all(enterprise_id=None, team_id=team_id)
        self.forget(team_id)
        logger.info("removed the tokens of workspace %s", team_id)

    def current_bot(self, team_id: str) -> Bot | None:
        """The workspace's stored bot, its token refreshed first if it is about to expire."""
        bot = self.store.find_bot(enterprise_id=None, team_id=team_id)
        if bot is None or not bot.bot_refresh_token:
            return bot
        fresh = self.rotator.perform_bot_token_rotation(
            bot=bot, minutes_before_expiration=ROTATE_MINUTES_BEFORE
        )
        if fresh is None:
            return bot
        self.store.save_bot(fresh)
        return fresh


def outbox_client_for(
    settings: Settings, workspaces: Workspaces | None
) -> Callable[[str], WebClient]:
    """The outbox's: an uninstalled workspace gets a tokenless client (items fail)."""
    find = scheduler_client_for(settings, workspaces)
    return lambda team_id: find(team_id) or make_client(settings, token="")


def scheduler_client_for(settings: Settings, workspaces: Workspaces | None) -> ClientFor:
    """The scheduler's: None for a workspace that is no longer installed (its nudges stop)."""
    if workspaces is None:
        single = make_client(settings)
        return lambda _team_id: single
    return workspaces.client_for
