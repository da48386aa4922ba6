"""The fake Slack Web API lives in `bot.demo.fake_slack` (the demo uses it too); this module
keeps `from fake_slack import ...` working."""

from bot.demo.fake_slack import FakeSlack, validate_blocks, validate_view

__all__ = ["FakeSlack", "validate_blocks", "validate_view"]
