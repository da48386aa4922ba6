"""Shared setup for fieldwork, findings and report tests: the action tests' review (AFIs
'assets', 'complaints' (rank 2), 'budget' (rank 1), 'old' (withdrawn); team UHOST host lead,
UIS IS lead, UH2 host team, UPEER peer, USTAKE stakeholder) with fieldwork 3–5 March 2027."""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import select

from bot.core.checklist import Answer
from bot.core.checklist_loader import load_default_checklist
from bot.core.findings import FindingKind
from bot.core.timeline import Timeline
from bot.deps import Deps
from storage.db import SessionFactory, transaction
from storage.models.findings import Finding
from storage.models.reviews import Review

from action_helpers import CHANNEL, Seeded, seed_review_with_afis, wait_until
from afi_helpers import responses_to
from conftest import RunningBot
from factories import (
    add_checklist_answers,
    add_focus_group,
    add_improvement_action,
    add_peer_finding,
)
from fake_slack import FakeSlack, UploadedFile, validate_view
from slack_driver import SlackDriver

CHECKLIST = load_default_checklist()
FIELDWORK_START = date(2027, 3, 3)
FIELDWORK_END = date(2027, 3, 5)
# A working day after fieldwork, when the guidance's draft report is due.
AFTER_FIELDWORK = datetime(2027, 3, 15, 10, tzinfo=UTC)


def seed_fieldwork_review(sessions: SessionFactory, **dates: date | None) -> Seeded:
    agreed = {"fieldwork_start": FIELDWORK_START, "fieldwork_end": FIELDWORK_END} | dates
    timeline = Timeline(**agreed)
    return seed_review_with_afis(sessions, timeline=timeline)


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


def seed_self_assessment(
    deps: Deps,
    review_id: int,
    answers: list[Answer],
    *,
    comment: str = "",
    only: Mapping[str, Sequence[Answer | None]] | None = None,
) -> None:
    """One invited respondent per answer, each giving that answer to every statement (or
    as `only` says, respondent by respondent), finished."""
    with transaction(deps.sessions) as session:
        review = session.get(Review, review_id)
        assert review is not None
        add_checklist_answers(
            session,
            review=review,
            checklist=CHECKLIST,
            answers=answers,
            secret=deps.respondent_secret,
            comment=comment,
            only=only,
            now=deps.now(),
        )


def seed_focus_group(
    deps: Deps, review_id: int, afi_id: int, *, participants: str, count: int
) -> int:
    with transaction(deps.sessions) as session:
        return add_focus_group(
            session,
            review_id=review_id,
            afi_id=afi_id,
            participants=participants,
            count=count,
            now=deps.now(),
        )


def seed_finding(
    deps: Deps,
    review_id: int,
    afi_id: int,
    kind: FindingKind,
    text: str,
    fieldwork_session_id: int | None,
) -> None:
    with transaction(deps.sessions) as session:
        add_peer_finding(
            session,
            review_id=review_id,
            afi_id=afi_id,
            kind=kind,
            text=text,
            fieldwork_session_id=fieldwork_session_id,
            now=deps.now(),
        )


def seed_action(deps: Deps, review_id: int, afi_id: int | None, text: str, due: date) -> None:
    with transaction(deps.sessions) as session:
        add_improvement_action(
            session,
            review_id=review_id,
            key_action=text,
            owner_id="UOWNER",
            due=due,
            afi_id=afi_id,
            risks="Two days of analyst time",
            measure="Dashboard used at committee",
            now=deps.now(),
        )


def answer_to(
    slack: SlackDriver, fake: FakeSlack, command: str, text: str, *, user: str, count: int = 1
) -> dict[str, Any]:
    """Run a slash command; return the `count`th answer posted to its response_url."""
    _, _, response_url = slack.command(command, text, user=user, channel=CHANNEL)
    return responses_to(fake, response_url, count)[count - 1]


def uploads(fake: FakeSlack, suffix: str) -> list[UploadedFile]:
    return [f for f in fake.files.values() if f.completed and f.filename.endswith(suffix)]


def docx_text(upload: UploadedFile) -> tuple[str, list[list[list[str]]]]:
    """A Word document's paragraphs and tables as one text, and its tables."""
    from docx import Document  # here: the web process's scenario imports these helpers too

    assert upload.content is not None
    document = Document(io.BytesIO(upload.content))
    tables = [
        [[cell.text for cell in row.cells] for row in table.rows] for table in document.tables
    ]
    text = "\n".join(p.text for p in document.paragraphs)
    return text + "\n" + str(tables), tables


def note(
    slack: SlackDriver, fake: FakeSlack, text: str, inputs: dict[str, Any], *, user: str = "UPEER"
) -> bytes:
    """`/afi note <text>`, then submit its form with `inputs`; the submission's answer."""
    view = open_view_by_command(slack, fake, "/afi", f"note {text}", user=user)
    assert validate_view(view, "modal") == []
    return slack.submit_view(view, inputs, user=user).body


def findings(bot: RunningBot) -> list[Finding]:
    with transaction(bot.deps.sessions) as session:
        return list(session.scalars(select(Finding).order_by(Finding.number)))
