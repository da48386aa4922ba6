"""Shared steps for end-to-end tests."""

from __future__ import annotations

import time
from typing import Any

from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.deps import Deps
from storage.db import transaction
from storage.models.outbox import OutboxStatus
from storage.repositories.outbox import items

REVIEW_FORM: dict[str, Any] = {
    "host_council": "Fife",
    "focus": "Roads maintenance",
    "rationale": "LGBF shows we are an outlier on road condition.",
    "host_lead": "UHOST",
    "is_lead": "UIS",
    "host_team": ["UH2"],
    "is_team": ["UIS2"],
    "peer_councils": ["Angus", "Stirling", "Moray"],
    "peer_rationale": "Strong performers in our family group.",
    "fieldwork_start": "2027-03-03",
    "fieldwork_end": "2027-03-05",
}


def start_review_through_slack(
    slack: SlackDriver,
    fake: FakeSlack,
    *,
    channel: str = "CREVIEW",
    user: str = "UHOST",
    **form: Any,
) -> None:
    """Run `/psif start` and submit the form, waiting for the channel summary."""
    before = len(fake.calls_to("views.open"))
    posts_before = len(fake.calls_to("chat.postMessage"))
    slack.command("/psif", "start", channel=channel, user=user)
    view = fake.wait_for("views.open", count=before + 1)[-1].response["view"]
    reply = slack.submit_view(view, REVIEW_FORM | form, user=user)
    assert reply.status == 200 and not reply.body.strip(b"{}"), reply.body
    fake.wait_for("chat.postMessage", count=posts_before + 1)


def last_response_text(fake: FakeSlack, count: int = 1) -> str:
    """The text and blocks of the newest response_url post, as one searchable string."""
    body = fake.wait_for_responses(count=count)[-1].body
    return f"{body.get('text', '')} {body.get('blocks', '')}"


def wait_until_delivered(deps: Deps, timeout: float = 20.0) -> None:
    """Wait until the outbox has nothing left to deliver (every item sent or failed)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with transaction(deps.sessions) as session:
            if not items(session=session, statuses=[OutboxStatus.PENDING, OutboxStatus.SENDING]):
                return
        time.sleep(0.02)
    raise AssertionError("the outbox still has items to deliver")
