"""The yardstick for bench/cpu_per_request.py: a Bolt app that verifies and only acks,
served as psif-bot is (uvicorn, the body read on the event loop, Bolt on a thread).

python -m uvicorn --app-dir bench bare_bolt:application
"""

from __future__ import annotations

import os
import re
from typing import Any

from slack_bolt import Ack, App
from slack_bolt.adapter.starlette.handler import to_bolt_request, to_starlette_response
from slack_sdk import WebClient
from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

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


async def events(request: Request) -> Response:
    bolt_request = to_bolt_request(request, await request.body())
    return to_starlette_response(await run_in_threadpool(app.dispatch, bolt_request))


application = Starlette(routes=[Route("/slack/events", events, methods=["POST"])])
