"""A stand-in for Slack's Web API on 127.0.0.1, used by `psif-bot demo` and the tests.

`server` answers HTTP and records calls, `state` is the workspace (channels, users,
messages, views, files), `methods` are the Web API methods the bot calls, and `validator`
holds Slack's limits and error shapes.
"""

from bot.demo.fake_slack.server import Call, FakeSlack, ResponsePost
from bot.demo.fake_slack.state import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    Channel,
    UploadedFile,
    User,
    UserGroup,
    Workspace,
)
from bot.demo.fake_slack.validator import validate_blocks, validate_view

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
    "UserGroup",
    "Workspace",
    "validate_blocks",
    "validate_view",
]
