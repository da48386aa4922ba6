"""The signed-request driver lives in `bot.demo.driver` (the demo uses it too); this module
keeps `from slack_driver import ...` working."""

from bot.demo.driver import APP_ID, TEAM, HttpReply, SlackDriver, sign, view_state

__all__ = ["APP_ID", "TEAM", "HttpReply", "SlackDriver", "sign", "view_state"]
