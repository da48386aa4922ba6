"""Every kind of outbox item and who delivers it, listed in one place."""

from __future__ import annotations

from collections.abc import Callable

from slack_sdk import WebClient

from bot.afis.tally import VOTE_TALLY, deliver_tally
from bot.deps import Deps
from bot.fieldwork.service import FIELDWORK_SCHEDULE, deliver_schedule
from bot.home.service import HOME, deliver_home
from bot.improvement_actions.card import ACTION_CARD, deliver_card
from bot.improvement_actions.plan_export import PLAN_EXPORT, deliver_plan_export
from bot.papers.service import PAPERS_PACK, deliver_pack
from bot.reminders.delivery import NUDGE, deliver_nudge
from bot.report.service import REPORT_DOCUMENTS, deliver_report_documents
from bot.self_assessment.invitations import INVITATION, deliver_invitation
from bot.self_assessment.results_chart import RESULTS_CHART, deliver_results_chart
from bot.self_assessment.results_delivery import RESULTS_POST, deliver_results_post
from bot.self_assessment.results_export import RESULTS_EXPORT, deliver_results_export
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
    ACTION_CARD: deliver_card,
    VOTE_TALLY: deliver_tally,
    FIELDWORK_SCHEDULE: deliver_schedule,
    RESULTS_CHART: deliver_results_chart,
    RESULTS_POST: deliver_results_post,
    RESULTS_EXPORT: deliver_results_export,
    REPORT_DOCUMENTS: deliver_report_documents,
    PLAN_EXPORT: deliver_plan_export,
    PAPERS_PACK: deliver_pack,
    INVITATION: deliver_invitation,
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
