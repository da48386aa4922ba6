"""The signed-request driver lives in `bot.demo.driver` (the demo uses it too); this module
keeps `from slack_driver import ...` working."""

from bot.demo.driver import TEAM, SlackDriver, sign

__all__ = ["TEAM", "SlackDriver", "sign"]
