"""The help message listing every command."""

from __future__ import annotations

from dataclasses import dataclass
from difflib import get_close_matches
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


def build_unknown(
    command: str, typed: str, entries: list[HelpEntry], names: dict[str, HelpEntry]
) -> tuple[str, list[Block]]:
    """An unknown subcommand: the likeliest one it was meant to be, with its short help, or
    else this command's subcommands only (every command's help is far too long a reply).
    `names` maps each subcommand name and alias to its entry."""
    shown = escape_mrkdwn(typed)
    guess = get_close_matches(typed.lower(), list(names), n=1, cutoff=0.6)
    if guess:
        entry = names[guess[0]]
        text = f"I don't know `{command} {shown}`. Did you mean `{escape_mrkdwn(entry.usage)}`?"
        return text, [
            section(f"{text}\n`{escape_mrkdwn(entry.usage)}` – {entry.summary}"),
            context(f"`{command} help` lists every `{command}` command."),
        ]
    text = f"I don't know `{command} {shown}`. These are the `{command}` commands:"
    lines = [f"`{escape_mrkdwn(entry.usage)}` – {entry.summary}" for entry in entries]
    return f"I don't know `{command} {shown}`. Type `{command} help` for its commands.", [
        section(text),
        section("\n".join(lines)),
    ]
