"""The yardstick for bench/cpu_per_request.py: a Bolt app that verifies and only acks.

gunicorn --chdir bench -k gthread --threads 16 -w 1 bare_bolt:application
"""

from __future__ import annotations

import os
import re
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.wsgi import SlackRequestHandler
from slack_sdk import WebClient

app = App(
    signing_secret=os.environ["SLACK_SIGNING_SECRET"],
    # The fake Web API: Bolt asks auth.test who the bot is before its first event.
    client=WebClient(token="xoxb-bare", base_url=os.environ["SLACK_API_URL"]),
    token_verification_enabled=False,
)
ANYTHING = re.compile(".*")


@app.command(ANYTHING)
@app.action(ANYTHING)
@app.view(ANYTHING)
def only_ack(ack: Ack) -> None:
    ack()


@app.event("app_home_opened")
def ignore_event(**_: Any) -> None:
    return None


application = SlackRequestHandler(app)
