"""The one way to build a Slack Web API client, with the one retry policy."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
    ServerErrorRetryHandler,
)

from bot.settings import Settings

SLACK_TIMEOUT_SECONDS = 10


def make_client(settings: Settings, *, token: str | None = None) -> WebClient:
    """A client for the configured Slack API, with the bot token unless given another."""
    if token is None and settings.slack_bot_token is not None:
        token = settings.slack_bot_token.get_secret_value()
    return new_client(token=token, base_url=settings.slack_api_url)


def new_client(
    *, token: str | None, base_url: str, timeout: int = SLACK_TIMEOUT_SECONDS
) -> WebClient:
    """Waits out one 429 and retries a dropped connection or a 5xx once; what still fails
    is the caller's to retry later rather than holding a thread."""
    return WebClient(
        token=token,
        base_url=base_url,
        timeout=timeout,
        retry_handlers=[
            ConnectionErrorRetryHandler(max_retry_count=1),
            RateLimitErrorRetryHandler(max_retry_count=1),
            ServerErrorRetryHandler(max_retry_count=1),
        ],
    )
