"""Slack listeners, by surface. Every registration is here or in the tables it walks
(`interactions.CLICKS`, `submissions.FORMS`, the commands' subcommands), so `grep` finds
who handles what."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from handlers import commands, errors, fallbacks, middleware, routes
from handlers.events import app_home
from handlers.interactions import CLICKS
from handlers.submissions import FORMS


def register_handlers(app: App, deps: Deps) -> None:
    middleware.register(app, deps)
    commands.register(app, deps)
    routes.register(app, deps, clicks=CLICKS, forms=FORMS)
    app_home.register(app, deps)
    # Last: whatever nothing above knows (buttons and forms from older messages)
    fallbacks.register(app, deps)
    errors.register(app, deps)
