"""The fake Slack Web API lives in `bot.demo.fake_slack` (the demo uses it too); this module
keeps `from fake_slack import ...` working."""

from bot.demo.fake_slack import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    Call,
    Channel,
    FakeSlack,
    ResponsePost,
    UploadedFile,
    User,
    validate_blocks,
    validate_view,
)

__all__ = [
    "APP_ID",
    "BOT_ID",
    "BOT_USER_ID",
    "TEAM_DOMAIN",
    "TEAM_ID",
    "Call",
    "Channel",
    "FakeSlack",
    "ResponsePost",
    "UploadedFile",
    "User",
    "validate_blocks",
    "validate_view",
]
