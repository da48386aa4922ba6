"""The app factory: builds the Bolt app (bot/web.py serves it over HTTP)."""

from __future__ import annotations

import logging

from slack_bolt import App

from bot.deps import Clock, Deps, system_clock
from bot.outbox_kinds import start_outbox_worker
from bot.self_assessment.rules import installed_checklists
from bot.settings import Settings
from bot.slack.client import make_client
from bot.slack.installations import Workspaces, oauth_settings, outbox_client_for
from bot.slack.replay import ReplayCheck
from bot.slack.tenancy import ContextExecutor
from bot.slack.tenancy import register as register_tenancy
from handlers import register_handlers
from handlers.events.uninstall import register as register_uninstall
from storage.db import make_engine, make_session_factory

logger = logging.getLogger(__name__)


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
    """A Bolt app with every listener registered. Nothing connects until a request arrives.

    With SLACK_CLIENT_ID and SLACK_CLIENT_SECRET set it serves "Add to Slack" and authorises
    each request with the token of the workspace it came from; `workspaces` (made here if not
    given) finds tokens for the outbox."""
    deps = deps or make_deps(settings)
    listeners = ContextExecutor(
        max_workers=settings.listener_threads, thread_name_prefix="psif-listener"
    )
    deps.closers.append(lambda: listeners.shutdown(wait=True, cancel_futures=True))
    oauth = oauth_settings(settings, deps.engine) if settings.oauth_enabled else None
    if settings.oauth_enabled:
        workspaces = workspaces or Workspaces(settings, deps.engine)
    signing_secret = settings.slack_signing_secret.get_secret_value()
    app = App(
        signing_secret=signing_secret,
        # Right after Bolt's own signature check, before anything reads or writes.
        before_authorize=ReplayCheck(signing_secret=signing_secret, sessions=deps.sessions),
        client=make_client(settings),
        oauth_settings=oauth,
        # Given here too, so Bolt's per-request authorize (and its token rotation) calls the
        # configured Slack API through our client rather than slack.com.
        installation_store=oauth.installation_store if oauth else None,
        installation_store_bot_only=True if oauth else None,
        token_verification_enabled=False,
        listener_executor=listeners,
        name="psif-bot",
    )
    if workspaces is not None:
        register_tenancy(app)  # first: every listener after it knows the requester
        register_uninstall(app, workspaces)  # before the fallbacks, which take any event
    register_handlers(app, deps)
    start_outbox_worker(deps, outbox_client_for(settings, workspaces))
    return app
