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
    name: str = ""  # the word after the command: what `/psif help <name>` finds it by


START_HERE = "*Start here:* `/psif start` opens a review; `/psif status` shows where it stands."
# "<" and ">" escaped: Slack would read "<command>" as a link and show nothing.
MORE = (
    "More on one command: `/psif help &lt;command&gt;`, e.g. `/psif help team` or "
    "`/psif help afi vote`."
)
CONFIDENTIAL = "Answers to the self-assessment are confidential: only totals are ever shown."


def _named(entry: HelpEntry) -> str:
    return f"`{entry.command} {entry.name}`" if entry.name else f"`{escape_mrkdwn(entry.usage)}`"


def build_help(
    entries: list[HelpEntry], *, topic: str = "", intro: str = ""
) -> tuple[str, list[Block]]:
    """(fallback text, blocks): every command by name, a line per slash command; with a
    `topic` ("team", "afi vote", "/action plan"), that command's usage and what it does."""
    if topic.strip():
        return _build_topic(entries, topic, intro=intro)
    blocks: list[Block] = [header("PSIF bot commands")]
    if intro:
        blocks.append(section(intro))
    lines = [START_HERE]
    for command, group in groupby(entries, key=lambda entry: entry.command):
        title = COMMAND_TITLES.get(command, command)
        lines.append(f"*{title}:* " + " ".join(_named(entry) for entry in group))
    blocks += [section("\n".join(lines)), context(MORE), context(CONFIDENTIAL)]
    names = ", ".join(f"{entry.command} {entry.name}".strip() for entry in entries)
    return intro + "PSIF bot commands: " + names, blocks


def _build_topic(entries: list[HelpEntry], topic: str, *, intro: str) -> tuple[str, list[Block]]:
    words = topic.lower().lstrip("/").split()
    command = f"/{words[0]}" if words[0] in ("psif", "afi", "action") else ""
    name = " ".join(words[1:] if command else words)
    found = [
        entry
        for entry in entries
        if (entry.name == name or (not name and entry.command == command))
        and (not command or entry.command == command)
    ]
    if not found:
        shown = escape_mrkdwn(topic.strip())
        text = f"I don't know the command `{shown}`."
        _, short = build_help(entries)
        return text, [section(text), *short[1:]]
    lines = [f"`{escape_mrkdwn(entry.usage)}` – {entry.summary}" for entry in found]
    text = intro + "\n".join(f"{entry.usage} – {entry.summary}" for entry in found)
    return text, [section("\n\n".join(lines)), context(CONFIDENTIAL)]


def build_unknown(
    command: str, typed: str, entries: list[HelpEntry], names: dict[str, HelpEntry]
) -> tuple[str, list[Block]]:
    """An unknown subcommand: the likeliest meant (`names`: names and aliases), or else
    this command's subcommands."""
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
