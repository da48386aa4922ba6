"""The signed-request driver lives in `bot.demo.driver` and the payloads it sends in
`bot.demo.slack_payloads` (the demo uses them too); this module keeps
`from slack_driver import ...` working."""

from bot.demo.driver import HttpReply, SlackDriver, sign
from bot.demo.slack_payloads import APP_ID, TEAM
from bot.demo.view_state import find_element, view_state

__all__ = ["APP_ID", "TEAM", "HttpReply", "SlackDriver", "find_element", "sign", "view_state"]
