"""Assembling a process: the deps, the Bolt app and the outbox worker with every kind."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from slack_bolt import App
from slack_sdk import WebClient

from bot.afis.service import VOTE_TALLY_KIND
from bot.core.checklist_loader import installed_checklists
from bot.deps import Clock, Deps, system_clock
from bot.fieldwork.service import FIELDWORK_SCHEDULE_KIND
from bot.home.service import HOME_KIND
from bot.improvement_actions.service import ACTION_CARD_KIND, PLAN_EXPORT_KIND
from bot.papers.service import PAPERS_PACK_KIND
from bot.reminders.service import NUDGE_KIND
from bot.report.service import DRAFT_ANSWER_KIND, DRAFT_REQUEST_KIND, REPORT_DOCUMENTS_KIND
from bot.reviews.service import SETTLED_OFFER_KIND
from bot.self_assessment.service import (
    INVITATION_KIND,
    INVITATIONS_REFRESH_KIND,
    RESULTS_ANSWER_KIND,
    RESULTS_CHART_KIND,
    RESULTS_EXPORT_KIND,
    RESULTS_POST_KIND,
    RESULTS_REQUEST_KIND,
)
from bot.settings import Settings
from bot.slack.authorization import authorization
from bot.slack.client import new_client
from bot.slack.installations import Workspaces, oauth_settings, outbox_client_for
from bot.slack.outbox import GENERIC_KINDS, Kind, OutboxWorker
from bot.slack.replay import ReplayCheck
from bot.slack.tenancy import register as register_tenancy
from bot.survey.service import SURVEY_LINKS_KIND
from handlers import register_handlers
from handlers.events.uninstall import register as register_uninstall
from storage.db import make_engine, make_session_factory

logger = logging.getLogger(__name__)

# Every kind of outbox item, each declared by the feature that owes it; `psif-bot worker`
# (or `socket`, the demo) delivers them all, so only it loads matplotlib, python-docx and
# openpyxl for the charts and documents.
KINDS: tuple[Kind[Any], ...] = (
    *GENERIC_KINDS,
    HOME_KIND,
    ACTION_CARD_KIND,
    VOTE_TALLY_KIND,
    FIELDWORK_SCHEDULE_KIND,
    RESULTS_POST_KIND,
    INVITATION_KIND,
    INVITATIONS_REFRESH_KIND,
    NUDGE_KIND,
    SURVEY_LINKS_KIND,
    SETTLED_OFFER_KIND,
    # charts, Word and Excel, and the requests whose checks ask Slack or analyse
    RESULTS_CHART_KIND,
    RESULTS_EXPORT_KIND,
    REPORT_DOCUMENTS_KIND,
    RESULTS_REQUEST_KIND,
    RESULTS_ANSWER_KIND,
    DRAFT_REQUEST_KIND,
    DRAFT_ANSWER_KIND,
    PLAN_EXPORT_KIND,
    PAPERS_PACK_KIND,
)
# How often the worker process looks for work (on PostgreSQL it also listens).
WORKER_POLL_SECONDS = 1.0


def make_deps(settings: Settings, clock: Clock = system_clock) -> Deps:
    """Everything listeners need; raises ChecklistError if a checklist file is broken."""
    checklists = installed_checklists(settings.checklist_paths)
    engine = make_engine(settings.database_url)
    return Deps(
        settings=settings,
        engine=engine,
        sessions=make_session_factory(engine),
        clock=clock,
        checklist_names={key: checklist.name for key, checklist in checklists.items()},
        checklists=checklists,
    )


def create_app(
    settings: Settings, deps: Deps | None = None, workspaces: Workspaces | None = None
) -> App:
    """A Bolt app with every listener registered; nothing connects or starts a thread. With
    OAuth it serves "Add to Slack" and authorises each request by its workspace's token."""
    deps = deps or make_deps(settings)
    oauth = oauth_settings(settings, deps.engine) if settings.oauth_enabled else None
    if settings.oauth_enabled:
        workspaces = workspaces or Workspaces(settings, deps.engine)
    signing_secret = settings.slack_signing_secret.get_secret_value()
    app = App(
        signing_secret=signing_secret,
        before_authorize=ReplayCheck(signing_secret=signing_secret, sessions=deps.sessions),
        # Bolt copies its address and retry policy; tokens come from bot.slack.authorization.
        client=new_client(token=None, base_url=settings.slack_api_url),
        authorize=authorization(settings, workspaces),
        oauth_settings=oauth,
        token_verification_enabled=False,
        # A listener's return is the ack; Slack calls come after it (bot.slack.after_ack).
        process_before_response=True,
        name="psif-bot",
    )
    if workspaces is not None:
        register_tenancy(app)  # first: every listener after it knows the requester
        register_uninstall(app, workspaces)  # before the fallbacks, which take any event
    register_handlers(app, deps)
    return app


def outbox_worker(
    deps: Deps,
    client_for: Callable[[str], WebClient] | None = None,
    *,
    kinds: tuple[Kind[Any], ...] = KINDS,
    poll_seconds: float = 5.0,
    listen: bool = False,
) -> OutboxWorker:
    """This process's outbox worker for `kinds`, not yet started; `client_for` defaults to
    the one bot token's or each installed workspace's client."""
    if client_for is None:
        workspaces = Workspaces(deps.settings, deps.engine) if deps.settings.oauth_enabled else None
        client_for = outbox_client_for(deps.settings, workspaces)
    return OutboxWorker(
        deps=deps, kinds=kinds, client_for=client_for, poll_seconds=poll_seconds, listen=listen
    )
