"""The help message listing every command."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby

from bot.slack.blocks import Block, context, header, section
from bot.slack.text import escape_mrkdwn

COMMAND_TITLES = {
    "/psif": "Reviews, self-assessment, fieldwork and the report",
    "/afi": "Areas for improvement",
    "/action": "Improvement actions",
}


@dataclass(frozen=True)
class HelpEntry:
    command: str
    usage: str
    summary: str


def build_help(entries: list[HelpEntry], *, intro: str = "") -> tuple[str, list[Block]]:
    """(fallback text, blocks) listing every command, grouped by slash command."""
    blocks: list[Block] = [header("PSIF bot commands")]
    if intro:
        blocks.append(section(intro))
    for command, group in groupby(entries, key=lambda entry: entry.command):
        lines = [f"`{escape_mrkdwn(entry.usage)}` – {entry.summary}" for entry in group]
        title = COMMAND_TITLES.get(command, command)
        blocks.append(section(f"*{title}*\n" + "\n".join(lines)))
    blocks.append(
        context("Answers to the self-assessment are confidential: only totals are ever shown.")
    )
    usages = ", ".join(escape_mrkdwn(entry.usage) for entry in entries)
    return intro + "PSIF bot commands: " + usages, blocks
