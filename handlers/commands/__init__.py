"""Slash commands `/psif`, `/afi`, `/action`, routed on their first word; every subcommand
is listed here."""

from __future__ import annotations

from slack_bolt import App

from bot.deps import Deps
from bot.slack.help import HelpEntry
from handlers.commands import (
    afis,
    fieldwork,
    findings,
    improvement_actions,
    papers,
    privacy,
    report,
    reviews,
    self_assessment,
    survey,
    team,
)
from handlers.commands.psif import help as help_command
from handlers.commands.reminders import REMINDERS, SNOOZE
from handlers.commands.router import CommandRouter, Subcommand, by_name

PSIF_SUBCOMMANDS: tuple[Subcommand, ...] = (
    *reviews.SUBCOMMANDS,
    *team.SUBCOMMANDS,
    self_assessment.INVITE,
    self_assessment.CHECKLIST,
    self_assessment.RESULTS,
    survey.LINKS,
    survey.IMPORT_ANSWERS,
    papers.SUBCOMMAND,
    REMINDERS,
    SNOOZE,
    privacy.FORGET_ME,
    fieldwork.SUBCOMMAND,
    report.SUBCOMMAND,
    help_command.SUBCOMMAND,
)
AFI_SUBCOMMANDS: tuple[Subcommand, ...] = (
    *afis.SUBCOMMANDS,
    findings.SHOW,
    findings.NOTE,
    findings.SHARE,
)
ACTION_SUBCOMMANDS: tuple[Subcommand, ...] = improvement_actions.SUBCOMMANDS


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
