"""Shared setup for the improvement-action tests: a review with a team and AFIs."""

from __future__ import annotations

import copy
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.core.roles import Role
from bot.core.timeline import Timeline
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.slack import ids
from storage.db import SessionFactory, transaction

from factories import add_afis, make_review, mark_afi_prioritised, mark_afi_withdrawn

CHANNEL = "CREVIEW"
TEAM = (
    ("UHOST", Role.HOST_LEAD),
    ("UIS", Role.IS_LEAD),
    ("UH2", Role.HOST_TEAM),
    ("UPEER", Role.PEER_REVIEWER),
    ("USTAKE", Role.STAKEHOLDER),
)
NOW = datetime(2026, 11, 25, 10, tzinfo=UTC)


@dataclass(frozen=True)
class Seeded:
    review_id: int
    afis: dict[str, int]  # short name → Afi.id


def seed_review_with_afis(
    sessions: SessionFactory,
    *,
    channel: str = CHANNEL,
    host: str = "Fife",
    with_afis: bool = True,
    timeline: Timeline | None = None,
) -> Seeded:
    """A review in `channel` with AFIs: 'assets' (not prioritised), 'complaints' (rank 2),
    'budget' (rank 1) and 'old' (withdrawn)."""
    with transaction(sessions) as session:
        review = make_review(
            session, members=TEAM, channel=channel, host_council=host, timeline=timeline, now=NOW
        )
        afis: dict[str, int] = {}
        if with_afis:
            texts = {
                "assets": "Asset data is out of date",
                "complaints": "Complaints are not analysed",
                "budget": "Budget planning is annual only",
                "old": "Withdrawn idea",
            }
            added = add_afis(
                session, review_id=review.id, texts=texts.values(), author_id="UHOST", now=NOW
            )
            afis = {name: afi.id for name, afi in zip(texts, added, strict=True)}
            mark_afi_prioritised(session, afi_id=afis["complaints"], rank=2)
            mark_afi_prioritised(session, afi_id=afis["budget"], rank=1)
            mark_afi_withdrawn(session, afi_id=afis["old"])
        return Seeded(review.id, afis)


def action_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "action_afi": "none",
        "action_key": "Publish a road condition dashboard",
        "action_owner": "UOWNER",
        "action_due": "2027-01-15",
        "action_risks": "Two days of analyst time",
        "action_measure": "Dashboard live and used at committee",
        "action_outcome": "Residents can see progress",
    }
    form.update(overrides)
    return form


def open_log_modal(
    slack: SlackDriver, fake: FakeSlack, text: str = "", *, user: str = "UHOST"
) -> dict[str, Any]:
    before = len(fake.calls_to("views.open"))
    slack.command("/action", f"log {text}".strip(), user=user, channel=CHANNEL)
    call = fake.wait_for("views.open", count=before + 1)[-1]
    assert call.ok, call.response
    return dict(call.response["view"])


def log_action(
    slack: SlackDriver, fake: FakeSlack, *, user: str = "UHOST", **overrides: Any
) -> dict[str, Any]:
    """Log an action through the modal; return its card as posted in the channel."""
    before = len(fake.messages_in(CHANNEL))
    view = open_log_modal(slack, fake, user=user)
    reply = slack.submit_view(view, action_form(**overrides), user=user)
    assert reply.status == 200 and reply.body in (b"", b"{}"), reply.body
    wait_until(lambda: len(fake.messages_in(CHANNEL)) > before, "the action's card")
    return copy.deepcopy(fake.messages_in(CHANNEL)[-1])  # as the client saw it then


def wait_until(condition: Callable[[], bool], what: str, timeout: float = 15.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.01)


def card_of(fake: FakeSlack, number: int) -> dict[str, Any]:
    """The current version of action `number`'s card in the channel."""
    for message in fake.messages_in(CHANNEL):
        if message.get("text", "").startswith(f"Action {number}:"):
            return message
    raise AssertionError(f"no card for action {number}")


def control_value(message: dict[str, Any], action_id: str) -> str:
    for block in message["blocks"]:
        for element in block.get("elements", []):
            if element.get("action_id") == action_id:
                return str(element.get("value", ""))
    raise AssertionError(f"no {action_id} in the message")


def open_progress_modal(
    slack: SlackDriver, fake: FakeSlack, *, user: str, number: int = 1
) -> dict[str, Any]:
    """Click "Update progress" on action `number`'s card; return the modal it opens."""
    card = card_of(fake, number)
    before = len(fake.calls_to("views.open"))
    value = control_value(card, ids.ACTION_PROGRESS)
    slack.click_in_message(card, ids.ACTION_PROGRESS, user=user, channel=CHANNEL, value=value)
    view = dict(fake.wait_for("views.open", count=before + 1)[-1].response["view"])
    assert view["callback_id"] == ids.ACTION_PROGRESS_MODAL
    return view


def note_progress(
    slack: SlackDriver,
    fake: FakeSlack,
    *,
    user: str,
    rag: str | None,
    note: str,
    number: int = 1,
) -> None:
    """Give action `number` a progress update from its card; wait for the card to show it."""
    updates = len(fake.calls_to("chat.update"))
    view = open_progress_modal(slack, fake, user=user, number=number)
    reply = slack.submit_view(
        view, {ids.ACTION_PROGRESS_RAG: rag, ids.ACTION_PROGRESS_NOTE: note}, user=user
    )
    assert reply.body in (b"", b"{}"), reply.body
    fake.wait_for("chat.update", count=updates + 1)
