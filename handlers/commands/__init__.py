"""Slash commands: `/psif`, `/afi`, `/action`, each routed on its first word.

Every subcommand is listed here; adding one means adding its module to a list."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.slack.help import HelpEntry
from handlers.commands import reviews, team
from handlers.commands.action import done as action_done
from handlers.commands.action import edit as action_edit
from handlers.commands.action import export as action_export
from handlers.commands.action import list as action_list
from handlers.commands.action import log as action_log
from handlers.commands.action import plan as action_plan
from handlers.commands.action import progress as action_progress
from handlers.commands.afi import add as afi_add
from handlers.commands.afi import close as afi_close
from handlers.commands.afi import import_ as afi_import
from handlers.commands.afi import list as afi_list
from handlers.commands.afi import note as afi_note
from handlers.commands.afi import reopen as afi_reopen
from handlers.commands.afi import show as afi_show
from handlers.commands.afi import vote as afi_vote
from handlers.commands.psif import (
    checklist,
    fieldwork,
    forget_me,
    invite,
    papers,
    reminders,
    report,
    results,
    snooze,
)
from handlers.commands.psif import (
    help as help_command,
)
from handlers.commands.router import CommandRouter, Subcommand, by_name

PSIF_SUBCOMMANDS: tuple[Subcommand, ...] = (
    *reviews.SUBCOMMANDS,
    *team.SUBCOMMANDS,
    invite.SUBCOMMAND,
    checklist.SUBCOMMAND,
    results.SUBCOMMAND,
    papers.SUBCOMMAND,
    reminders.SUBCOMMAND,
    snooze.SUBCOMMAND,
    forget_me.SUBCOMMAND,
    fieldwork.SUBCOMMAND,
    report.SUBCOMMAND,
    help_command.SUBCOMMAND,
)
AFI_SUBCOMMANDS: tuple[Subcommand, ...] = (
    afi_add.SUBCOMMAND,
    afi_list.SUBCOMMAND,
    afi_import.SUBCOMMAND,
    afi_vote.SUBCOMMAND,
    afi_close.SUBCOMMAND,
    afi_reopen.SUBCOMMAND,
    afi_show.SUBCOMMAND,
    afi_note.SUBCOMMAND,
)
ACTION_SUBCOMMANDS: tuple[Subcommand, ...] = (
    action_log.SUBCOMMAND,
    action_list.SUBCOMMAND,
    action_done.SUBCOMMAND,
    action_edit.SUBCOMMAND,
    action_progress.SUBCOMMAND,
    action_plan.SUBCOMMAND,
    action_export.SUBCOMMAND,
)


def register(app: App, deps: Deps) -> None:
    routers: list[CommandRouter] = []

    def all_help() -> list[HelpEntry]:
        return [entry for router in routers for entry in router.help_entries()]

    for command, subcommands in (
        ("/psif", PSIF_SUBCOMMANDS),
        ("/afi", AFI_SUBCOMMANDS),
        ("/action", ACTION_SUBCOMMANDS),
    ):
        router = CommandRouter(command, by_name(subcommands), all_help)
        routers.append(router)
        app.command(command)(router.listener(deps))
