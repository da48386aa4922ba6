"""Slash commands: `/psif`, `/afi`, `/action`, each routed on its first word."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.views.help import HelpEntry
from handlers.commands import action, afi, psif
from handlers.commands.router import CommandRouter, discover


def register(app: App, deps: Deps) -> None:
    routers: list[CommandRouter] = []

    def all_help() -> list[HelpEntry]:
        return [entry for router in routers for entry in router.help_entries()]

    for command, package in (("/psif", psif), ("/afi", afi), ("/action", action)):
        router = CommandRouter(command, discover(package), all_help)
        routers.append(router)
        app.command(command)(router.listener(deps))
