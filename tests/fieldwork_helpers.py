"""Shared setup for fieldwork, findings and report tests: the action tests' review (AFIs
'assets', 'complaints' (rank 2), 'budget' (rank 1), 'old' (withdrawn); team UHOST host lead,
UIS IS lead, UH2 host team, UPEER peer, USTAKE stakeholder) with fieldwork 3–5 March 2027."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import update

from storage.db import SessionFactory, transaction
from storage.models.reviews import Review

from action_helpers import CHANNEL, Seeded, seed_review, wait_until
from fake_slack import FakeSlack
from slack_driver import SlackDriver

FIELDWORK_START = date(2027, 3, 3)
FIELDWORK_END = date(2027, 3, 5)


def seed_fieldwork_review(sessions: SessionFactory, **dates: date | None) -> Seeded:
    seeded = seed_review(sessions)
    values: dict[str, Any] = {"fieldwork_start": FIELDWORK_START, "fieldwork_end": FIELDWORK_END}
    values.update(dates)
    with transaction(sessions) as session:
        session.execute(update(Review).where(Review.id == seeded.review_id).values(**values))
    return seeded


def session_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "fw_kind": "focus_group",
        "fw_day": "2027-03-04",
        "fw_start": "600",
        "fw_length": "90",
        "fw_afis": [],
        "fw_runners": ["UPEER", "UIS"],
        "fw_participants": "Depot supervisors from the three areas",
        "fw_count": "6",
        "fw_mode": "in_person",
    }
    form.update(overrides)
    return form


def open_view_by_command(
    slack: SlackDriver, fake: FakeSlack, command: str, text: str, *, user: str = "UHOST"
) -> dict[str, Any]:
    before = len(fake.calls_to("views.open"))
    slack.command(command, text, user=user, channel=CHANNEL)
    call = fake.wait_for("views.open", count=before + 1)[-1]
    assert call.ok, call.response
    return dict(call.response["view"])


def dms_to(fake: FakeSlack, user: str) -> list[dict[str, Any]]:
    return [c.args for c in fake.calls_to("chat.postMessage") if c.ok and c.args["channel"] == user]


def wait_for_dm(fake: FakeSlack, user: str, count: int = 1) -> list[dict[str, Any]]:
    wait_until(lambda: len(dms_to(fake, user)) >= count, f"{count} DM(s) to {user}")
    return dms_to(fake, user)
