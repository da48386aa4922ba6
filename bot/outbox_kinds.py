"""Every kind of outbox item and who delivers it, listed in one place."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.afis._tally import VOTE_TALLY, deliver_tally
from bot.deps import Deps
from bot.fieldwork.service import FIELDWORK_SCHEDULE, deliver_schedule
from bot.home.service import deliver_home
from bot.improvement_actions.service import HOME, OUTBOX_KINDS
from bot.papers.service import PAPERS_PACK, deliver_pack
from bot.reminders.service import NUDGE, deliver_nudge
from bot.report.service import REPORT_DOCUMENTS, deliver_report_documents
from bot.self_assessment.service import OUTBOX_KINDS as SELF_ASSESSMENT_KINDS
from bot.slack.client import make_client
from bot.slack.deliveries import (
    DIRECT_MESSAGE,
    MESSAGE,
    TELL,
    UPDATE,
    deliver_answer,
    deliver_message,
    deliver_update,
    notify_failure,
)
from bot.slack.outbox import Deliver, OutboxWorker

KINDS: dict[str, Deliver] = {
    MESSAGE: deliver_message,
    DIRECT_MESSAGE: deliver_message,
    UPDATE: deliver_update,
    TELL: deliver_answer,
    HOME: deliver_home,
    VOTE_TALLY: deliver_tally,
    FIELDWORK_SCHEDULE: deliver_schedule,
    REPORT_DOCUMENTS: deliver_report_documents,
    **OUTBOX_KINDS,
    PAPERS_PACK: deliver_pack,
    **SELF_ASSESSMENT_KINDS,
    NUDGE: deliver_nudge,
}


def start_outbox_worker(
    deps: Deps, client_for: Callable[[str], WebClient] | None = None
) -> OutboxWorker:
    """Start delivering the outbox in this process; `deps.close()` stops it. `client_for`
    gives the client of the workspace hosting an item's review (see
    bot.slack.installations.outbox_client_for); without it, the one bot token is used."""
    client = make_client(deps.settings)
    worker = OutboxWorker(
        deps=deps,
        kinds=KINDS,
        client_for=client_for or (lambda _team_id: client),
        on_failure=notify_failure,
    )
    worker.start()
    deps.closers.append(worker.stop)
    return worker
