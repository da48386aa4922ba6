"""A stand-in for Slack's Web API on 127.0.0.1, used by `psif-bot demo` and the tests.

`server` answers HTTP (over `transport`), recording calls in `call_log` and injecting
`faults`; `workspace` is the Slack-side state made of `workspace_objects` (channels,
users, user groups, files); `methods` are the Web API methods the bot calls, by family;
`validator` checks messages and views (Block Kit by `block_kit_checker`) and `slack_error`
is the shape of the Web API's errors; `oauth` installs the app in more workspaces.
"""

from bot.demo.fake_slack.call_log import Call, ResponsePost
from bot.demo.fake_slack.server import FakeSlack
from bot.demo.fake_slack.validator import validate_blocks, validate_view
from bot.demo.fake_slack.workspace import Workspace
from bot.demo.fake_slack.workspace_objects import (
    APP_ID,
    BOT_ID,
    BOT_USER_ID,
    TEAM_DOMAIN,
    TEAM_ID,
    Channel,
    UploadedFile,
    User,
    UserGroup,
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
    "UserGroup",
    "Workspace",
    "validate_blocks",
    "validate_view",
]
