"""Run by test_process_types.py in a fresh interpreter (never collected with the suite, where
other tests load the heavy libraries): a web process, as `psif-bot serve` assembles it, answers
`/psif results` and `/psif report` without loading matplotlib, python-docx or openpyxl: both
are left in the outbox for the worker process."""

from __future__ import annotations

import sys

from sqlalchemy import select

from bot.core.checklist import Answer
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.settings import Settings
from bot.web import web_process
from storage.db import transaction
from storage.models.outbox import OutboxItem, OutboxStatus

from action_helpers import CHANNEL, wait_until
from conftest import SIGNING_SECRET, SettableClock
from fake_slack import FakeSlack
from fieldwork_helpers import AFTER_FIELDWORK, seed_fieldwork_review, seed_self_assessment
from slack_driver import SlackDriver

HEAVY_LIBRARIES = ("matplotlib", "docx", "openpyxl")


def owed(deps: Deps) -> set[str]:
    """The kinds of the items still to deliver."""
    with transaction(deps.sessions) as session:
        return set(
            session.scalars(
                select(OutboxItem.kind).where(
                    OutboxItem.status.in_([OutboxStatus.PENDING, OutboxStatus.SENDING])
                )
            )
        )


def test_a_web_process_answers_results_and_a_draft_without_the_heavy_libraries(
    settings: Settings, deps: Deps, fake_slack: FakeSlack, clock: SettableClock
) -> None:
    assert not [name for name in HEAVY_LIBRARIES if name in sys.modules]
    clock.set(AFTER_FIELDWORK)  # the draft follows fieldwork (3–5 March 2027)
    seeded = seed_fieldwork_review(deps.sessions)
    seed_self_assessment(deps, seeded.review_id, [Answer.AGREE] * 5)
    with serve_in_background(web_process(settings, deps)) as url:
        slack = SlackDriver(url, SIGNING_SECRET, fake_slack)
        slack.command("/psif", "results", user="UHOST", channel=CHANNEL)
        # Permission checked here; the analysis, the post and its chart are the worker's.
        wait_until(lambda: owed(deps) == {"results_request"}, "the results owed to the worker")
        slack.command("/psif", "report", user="UHOST", channel=CHANNEL)
        wait_until(
            lambda: owed(deps) == {"results_request", "report_draft_request"},
            "the draft owed to the worker",
        )
    assert [name for name in HEAVY_LIBRARIES if name in sys.modules] == []
