"""Assembling a process: the deps, the Bolt app (bot/web.py serves it over HTTP) and the
outbox worker with every kind of item it delivers."""

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
from bot.report.service import REPORT_DOCUMENTS_KIND
from bot.reviews.service import SETTLED_OFFER_KIND
from bot.self_assessment.service import (
    INVITATION_KIND,
    INVITATIONS_REFRESH_KIND,
    RESULTS_CHART_KIND,
    RESULTS_EXPORT_KIND,
    RESULTS_POST_KIND,
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

# Every kind of outbox item, each declared by the feature that owes it.
KINDS: tuple[Kind[Any], ...] = (
    *GENERIC_KINDS,
    HOME_KIND,
    ACTION_CARD_KIND,
    VOTE_TALLY_KIND,
    FIELDWORK_SCHEDULE_KIND,
    RESULTS_CHART_KIND,
    RESULTS_POST_KIND,
    RESULTS_EXPORT_KIND,
    REPORT_DOCUMENTS_KIND,
    PLAN_EXPORT_KIND,
    PAPERS_PACK_KIND,
    INVITATION_KIND,
    INVITATIONS_REFRESH_KIND,
    NUDGE_KIND,
    SURVEY_LINKS_KIND,
    SETTLED_OFFER_KIND,
)
# The kinds whose delivery loads matplotlib, python-docx or openpyxl (charts, Word, Excel):
# only the worker process (`psif-bot worker`, or `socket` in development) delivers them, with
# those libraries loaded once, so a web process never loads them and stays small.
HEAVY_KINDS: tuple[Kind[Any], ...] = (
    RESULTS_CHART_KIND,
    RESULTS_EXPORT_KIND,
    REPORT_DOCUMENTS_KIND,
    PLAN_EXPORT_KIND,
    PAPERS_PACK_KIND,
)
# What web and clock processes deliver themselves, at once after the commit that owes it.
LIGHT_KINDS: tuple[Kind[Any], ...] = tuple(kind for kind in KINDS if kind not in HEAVY_KINDS)
# How often the worker process looks for work: on PostgreSQL it also hears at once of what
# other processes owe (bot.slack.outbox.OutboxWorker.listen); on SQLite it only looks.
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
    """A Bolt app with every listener registered. Nothing connects until a request arrives,
    and no thread starts (the outbox worker is the assembling process's: `outbox_worker`).

    With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set it serves "Add to Slack" and authorises
    each request with the token of the workspace it came from (`workspaces`, made here if
    not given, which also forgets a workspace that uninstalls)."""
    deps = deps or make_deps(settings)
    oauth = oauth_settings(settings, deps.engine) if settings.oauth_enabled else None
    if settings.oauth_enabled:
        workspaces = workspaces or Workspaces(settings, deps.engine)
    signing_secret = settings.slack_signing_secret.get_secret_value()
    app = App(
        signing_secret=signing_secret,
        # Right after Bolt's own signature check, before anything reads or writes.
        before_authorize=ReplayCheck(signing_secret=signing_secret, sessions=deps.sessions),
        # Bolt copies this client's address and retry policy into each request's client; the
        # token comes from the settings or the database, never from a call to Slack in front
        # of the acknowledgement (bot.slack.authorization).
        client=new_client(token=None, base_url=settings.slack_api_url),
        authorize=authorization(settings, workspaces),
        oauth_settings=oauth,
        token_verification_enabled=False,
        # Each listener runs on the request's own thread and what it returns is the
        # acknowledgement, so no pool of listener threads, however busy, stands between a
        # request and its ack; the Slack calls a request makes itself come after it, on a
        # pool of their own (bot.slack.after_ack).
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
    """This process's outbox worker for `kinds` (all of them unless told), not yet started:
    whoever assembles a process runs it (`with outbox_worker(deps):`, or `run()` in a
    process that only delivers). `client_for` gives the client of the workspace hosting an
    item's review; by default the one bot token, or each installed workspace's
    (bot.slack.installations.outbox_client_for). `listen`: wake on PostgreSQL notifications
    of what other processes owe."""
    if client_for is None:
        workspaces = Workspaces(deps.settings, deps.engine) if deps.settings.oauth_enabled else None
        client_for = outbox_client_for(deps.settings, workspaces)
    return OutboxWorker(
        deps=deps, kinds=kinds, client_for=client_for, poll_seconds=poll_seconds, listen=listen
    )
