"""No time on answers (issue 23): nothing written while someone answers the self-assessment
(opening it, saving sections with Next and Back, Finish, resuming) carries a time finer than
a day, or links the rows written then to the person.

Every table is read, and its columns' types come from the models' metadata, so a table
added later is checked too. The door's per-request replay table is left out: it is being
reworked to a day bucket on its own.
"""

from __future__ import annotations

import json
import re
import time
from datetime import UTC, date, datetime
from datetime import time as time_of_day
from typing import Any

from sqlalchemy import JSON, Boolean, Date, DateTime, Float, Integer, Numeric, String

from bot.core.checklist import Answer
from bot.deps import Deps
from bot.slack import ids
from storage.db import transaction
from storage.models.requests import AppliedRequest
from storage.repositories.requests import mark_applied
from storage.schema import metadata

from checklist_helpers import (
    CHECKLIST,
    invite,
    section_inputs,
    seed_checklist_review,
    start_from_dm,
    submit_section,
    title_of,
)
from conftest import RunningBot, TestDatabase
from fake_slack import FakeSlack
from helpers import wait_until_delivered
from slack_driver import SlackDriver
from table_scan import snapshot, written_between

PERSON = "UANSWERS1"
LEFT_OUT = frozenset({"seen_requests"})
DAY_SECONDS = 86_400
ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")
DIGITS = re.compile(r"\d{10,13}")


def agree(_: str) -> Answer:
    return Answer.AGREE


def near(seconds: float, moments: list[float]) -> bool:
    """Whether `seconds` (or milliseconds) since the epoch is within a day of a moment."""
    return any(
        abs(candidate - moment) < DAY_SECONDS
        for candidate in (seconds, seconds / 1000)
        for moment in moments
    )


def too_fine(value: Any, kind: Any, moments: list[float]) -> str | None:
    """Why `value`, in a column of type `kind`, dates or names the save; None if it doesn't."""
    if value is None or isinstance(kind, Boolean | Date):
        return None
    if isinstance(kind, DateTime):
        assert isinstance(value, datetime)
        return None if value.time() == time_of_day(0) else f"a time of day: {value}"
    if isinstance(kind, Integer | Float | Numeric):
        return f"a moment: {value}" if near(float(value), moments) else None
    if isinstance(kind, String | JSON):
        text = value if isinstance(value, str) else json.dumps(value, default=str)
        if PERSON in text:
            return "the person's id"
        if ISO_TIME.search(text):
            return f"a time in text: {text[:80]}"
        if any(near(float(digits[:10]), moments) for digits in DIGITS.findall(text)):
            return f"a moment in text: {text[:80]}"
        return None
    assert isinstance(value, date | int | float | str), f"unchecked type {kind}"
    return None


def go_back(slack: SlackDriver, fake: FakeSlack, view: dict[str, Any]) -> dict[str, Any]:
    """Back on a section page (keeping what is on it); return the section shown."""
    section = json.loads(view["private_metadata"])["section"]
    updated = len(fake.calls_to("views.update"))
    reply = slack.act_in_view(
        view,
        ids.CHECKLIST_BACK_BLOCK,
        user=PERSON,
        inputs=section_inputs(section, agree),
        value=str(section - 1),
    )
    assert reply.status == 200
    fake.wait_for("views.update", updated + 1)
    return {**fake.views[view["id"]], "id": view["id"]}


def test_answering_writes_no_time_finer_than_a_day_and_nothing_naming_the_person(
    slack: SlackDriver, fake_slack: FakeSlack, bot: RunningBot, db: TestDatabase
) -> None:
    seed_checklist_review(bot.deps)
    invite(slack, fake_slack, PERSON, "UB")
    wait_until_delivered(bot.deps)
    before = snapshot(db.engine, leave_out=LEFT_OUT)

    view = submit_section(slack, start_from_dm(slack, fake_slack, PERSON), PERSON, agree)
    view = go_back(slack, fake_slack, view)
    assert title_of(view).endswith("1 of 6")
    while view["callback_id"] == ids.CHECKLIST_SECTION_MODAL:
        view = submit_section(slack, view, PERSON, agree)
    published = len(fake_slack.calls_to("views.publish"))
    assert slack.submit_view(view, {}, user=PERSON).status == 200  # Finish
    fake_slack.wait_for("views.publish", published + 1)  # the last of Finish's Slack calls
    opened = len(fake_slack.calls_to("views.open"))
    slack.command(
        "/psif", "checklist", user=PERSON, channel=f"D{PERSON}", channel_name="directmessage"
    )
    resumed = fake_slack.wait_for("views.open", opened + 1)[-1].response["view"]
    assert resumed["callback_id"] == ids.CHECKLIST_SUMMARY_MODAL
    wait_until_delivered(bot.deps)

    written = written_between(db.engine, before, snapshot(db.engine, leave_out=LEFT_OUT))
    assert len(written.get("checklist_responses", [])) == len(CHECKLIST.sections)
    moments = [time.time(), bot.deps.now().timestamp()]
    problems = [
        f"{table}.{column.name}: {why}"
        for table, rows in written.items()
        for row in rows
        for column in metadata.tables[table].columns
        if (why := too_fine(row[column.name], column.type, moments))
    ]
    assert problems == []


def test_a_request_applied_is_kept_with_its_day_only(deps: Deps) -> None:
    """Idempotency keys are written with the change they guard: their time would date it."""
    moment = datetime(2026, 11, 25, 23, 17, 3, 120, tzinfo=UTC)
    with transaction(deps.sessions) as session:
        assert mark_applied(session=session, key="view:V1:h1", now=moment)
        assert not mark_applied(session=session, key="view:V1:h1", now=moment)
    with transaction(deps.sessions) as session:
        kept = session.get(AppliedRequest, "view:V1:h1")
        assert kept is not None
        assert kept.applied_at.replace(tzinfo=None) == datetime(2026, 11, 25)
