"""A stand-in for Slack's Web API on 127.0.0.1, used by `psif-bot demo` and the tests.

`server` answers HTTP and records what it answered; `workspace` is the Slack-side state and the
Web API methods the bot calls; `block_kit` checks messages and views as Slack does; `oauth`
installs the app in more workspaces.
"""

from bot.demo.fake_slack.block_kit import validate_blocks, validate_view
from bot.demo.fake_slack.server import Call, FakeSlack, ResponsePost
from bot.demo.fake_slack.workspace import BOT_USER_ID, TEAM_ID

__all__ = [
    "BOT_USER_ID",
    "TEAM_ID",
    "Call",
    "FakeSlack",
    "ResponsePost",
    "validate_blocks",
    "validate_view",
]
