"""A stand-in for Slack's Web API on 127.0.0.1, used by `psif-bot demo` and the tests."""

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
