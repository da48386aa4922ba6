"""Answers for requests no listener above knows (from an older bot, or never sent), so Slack
shows no error. Registered last; Bolt also offers them a request whose listener is past 3
seconds, so these match only requests let in less than 3 seconds ago.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt import Ack, App, BoltContext
from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack.replay import seconds_since_let_in
from handlers.errors import modal_answer, tell

ANYTHING = re.compile(".*")
ACK_SECONDS = 3.0

STALE_BUTTON = (
    "That button is from an older version of this message, so nothing was changed. "
    "Type the command again to get a fresh one (`/psif help` lists them)."
)
STALE_FORM = (
    "This form is from an older version of the bot, so nothing was saved. Copy anything you "
    "want to keep, close it and open it again with the command."
)
STALE_SHORTCUT = (
    "That shortcut is no longer one of mine, so nothing happened. `/psif help` lists what I do."
)


def in_time(context: BoltContext) -> bool:
    return seconds_since_let_in(context) < ACK_SECONDS


def register(app: App, deps: Deps) -> None:
    @app.action(ANYTHING, matchers=[in_time])
    def answer_unknown_action(
        ack: Ack, body: dict[str, Any], client: WebClient, logger: logging.Logger
    ) -> None:
        ack()
        logger.info("unknown action %s", [a.get("action_id") for a in body.get("actions") or []])
        tell(deps, client, body, STALE_BUTTON)

    @app.view_submission(ANYTHING, matchers=[in_time])
    def answer_unknown_form(ack: Ack, body: dict[str, Any], logger: logging.Logger) -> None:
        logger.info("unknown form %s", (body.get("view") or {}).get("callback_id"))
        ack(modal_answer(body, STALE_FORM))

    @app.view_closed(ANYTHING, matchers=[in_time])
    def ignore_unknown_form_closing(ack: Ack) -> None:
        ack()

    @app.shortcut(ANYTHING, matchers=[in_time])
    def answer_unknown_shortcut(
        ack: Ack, body: dict[str, Any], client: WebClient, logger: logging.Logger
    ) -> None:
        ack()
        logger.info("unknown shortcut %s", body.get("callback_id"))
        tell(deps, client, body, STALE_SHORTCUT)

    @app.options(ANYTHING, matchers=[in_time])
    def offer_nothing_for_an_unknown_menu(ack: Ack) -> None:
        ack(options=[])

    @app.command(ANYTHING, matchers=[in_time])
    def answer_unknown_command(ack: Ack, body: dict[str, Any]) -> None:
        ack(
            text=f"`{body.get('command')}` isn't one of my commands. `/psif help` lists them.",
            response_type="ephemeral",
        )

    @app.event(ANYTHING, matchers=[in_time])
    def ignore_unhandled_event(body: dict[str, Any], logger: logging.Logger) -> None:
        """Acknowledged (uninstalls with one workspace, say), so Slack doesn't retry them."""
        logger.debug("ignoring event %s", (body.get("event") or {}).get("type"))
