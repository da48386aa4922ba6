"""The fake Slack Web API lives in `bot.demo.fake_slack` (the demo uses it too); this module
keeps `from fake_slack import ...` working."""

from bot.demo.fake_slack import Call, FakeSlack, validate_blocks, validate_view
from bot.demo.fake_slack.workspace import UploadedFile

__all__ = ["Call", "FakeSlack", "UploadedFile", "validate_blocks", "validate_view"]
