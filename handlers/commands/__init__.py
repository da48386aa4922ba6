"""Slash commands `/psif`, `/afi`, `/action`, routed on their first word to the
subcommands their modules list."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.slack.help import HelpEntry
from handlers.commands import action, afi, psif
from handlers.commands.router import CommandRouter, Subcommand, by_name

PSIF_SUBCOMMANDS: tuple[Subcommand, ...] = psif.SUBCOMMANDS
AFI_SUBCOMMANDS: tuple[Subcommand, ...] = afi.SUBCOMMANDS
ACTION_SUBCOMMANDS: tuple[Subcommand, ...] = action.SUBCOMMANDS


COMMANDS = (("/psif", PSIF_SUBCOMMANDS), ("/afi", AFI_SUBCOMMANDS), ("/action", ACTION_SUBCOMMANDS))


def register(app: App, deps: Deps) -> None:
    def all_help() -> list[HelpEntry]:
        return [entry for router in routers for entry in router.help_entries()]

    routers = [CommandRouter(command, by_name(subs), all_help) for command, subs in COMMANDS]
    for router in routers:
        app.command(router.command)(router.listener(deps))
