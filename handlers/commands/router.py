"""Dispatch `/psif`, `/afi` and `/action` on their first word to subcommands, which call
their service and reply; a `Refusal` the service raises is the reply."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from typing import Any, TypedDict

from slack_bolt import Ack
from slack_sdk import WebClient

from bot.core.errors import NoReviewHere, Refusal
from bot.deps import Deps
from bot.home.service import direct_message_overview
from bot.slack.after_ack import Answer, Asker
from bot.slack.help import HelpEntry, build_help, build_unknown
from bot.slack.payloads import SlashCommand
from bot.slack.text import unescape_slack


class Here(TypedDict):
    """Where a command was typed and by whom: what most services are asked first."""

    channel_id: str
    user_id: str


class InTeam(Here):
    team_id: str


class AskSlackAfterAck(Exception):
    """A subcommand reached for the Web API client while its request was being handled."""


@dataclass
class CommandContext:
    """What a subcommand gets: the command, its arguments and the means to answer. The first
    reply is the acknowledgement itself; later ones are owed through the outbox."""

    deps: Deps
    command: SlashCommand
    args: str
    ack: Ack
    asker: Asker
    all_help: Callable[[], list[HelpEntry]]
    acknowledged: bool = False
    after_ack: bool = False  # run again on the after-ack pool (see `client`)
    later_replies: list[Answer] = field(default_factory=list)

    def acknowledge(self) -> None:
        if not self.acknowledged:
            self.acknowledged = True
            self.ack()

    @property
    def client(self) -> WebClient:
        """The Web API client. Before the ack this stops the subcommand, which the router
        runs again on the after-ack pool; so a subcommand only reads before asking Slack."""
        if not self.after_ack:
            raise AskSlackAfterAck
        return self.asker.client

    @property
    def user_id(self) -> str:
        return self.command.user_id

    @property
    def here(self) -> Here:
        return Here(channel_id=self.command.channel_id, user_id=self.user_id)

    @property
    def in_team(self) -> InTeam:
        command = self.command
        return InTeam(team_id=command.team_id, channel_id=command.channel_id, user_id=self.user_id)

    @property
    def response_url(self) -> str:
        return self.command.response_url

    @property
    def typed_args(self) -> str:
        return unescape_slack(self.args)

    def reply(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        if not self.acknowledged:
            self.acknowledged = True
            self.ack(text=text, blocks=blocks, response_type="ephemeral")
            return
        self.later_replies.append((text, blocks))

    def send_later_replies(self) -> None:
        if self.later_replies:
            self.asker.tell_each(self.later_replies)
            self.later_replies = []

    def reply_overview(self) -> None:
        """In the bot's DM there is no review: show the person everything of theirs."""
        typed = f"{self.command.command} {self.command.text.split(' ', 1)[0]}".strip()
        self.reply(*direct_message_overview(self.deps, user_id=self.user_id, command=typed))

    def open_modal(
        self, view: dict[str, Any], *, typed: str = "", unrecorded: bool = False
    ) -> None:
        self.acknowledge()
        self.asker.open_modal(view, typed=typed, unrecorded=unrecorded)


def run(subcommand: Subcommand, context: CommandContext) -> None:
    """Run the subcommand; a refusal it raises is the answer (in the bot's DM, for a channel
    without a review, the person's own reviews)."""
    try:
        subcommand.run(context)
    except AskSlackAfterAck:
        context.acknowledge()
        again = replace(context, after_ack=True, later_replies=[])
        context.asker.later(lambda: run(subcommand, again))
    except NoReviewHere as missing:
        if context.command.in_direct_message:
            context.reply_overview()
        else:
            context.reply(missing.message)
    except Refusal as refusal:
        context.reply(refusal.message)
    finally:
        context.acknowledge()
        context.send_later_replies()


Run = Callable[[CommandContext], None]


@dataclass(frozen=True)
class Subcommand:
    name: str
    usage: str
    summary: str
    run: Run
    aliases: tuple[str, ...] = ()
    order: int = 50  # where `/psif help` lists it


def subcommand(
    usage: str, *, order: int, aliases: tuple[str, ...] = ()
) -> Callable[[Run], Subcommand]:
    """The decorated function as the subcommand `usage` names (its second word); as in
    click, the docstring is the summary `/psif help` shows."""

    def declare(run: Run) -> Subcommand:
        summary = " ".join((run.__doc__ or "").split())
        if not summary:  # e.g. docstrings stripped by `python -OO`: refuse to start
            raise TypeError(f"`{usage}` has no docstring to show in `/psif help`")
        return Subcommand(usage.split()[1], usage, summary, run, aliases, order)

    return declare


def by_name(subcommands: tuple[Subcommand, ...]) -> dict[str, Subcommand]:
    """The subcommands by name and alias."""
    return {name: sub for sub in subcommands for name in (sub.name, *sub.aliases)}


@dataclass
class CommandRouter:
    """Routes one slash command's first word to its subcommand; unknown words get help."""

    command: str
    subcommands: dict[str, Subcommand]
    all_help: Callable[[], list[HelpEntry]]

    def help_entries(self) -> list[HelpEntry]:
        unique = {sub.name: sub for sub in self.subcommands.values()}
        return [
            HelpEntry(self.command, sub.usage, sub.summary, sub.name)
            for sub in sorted(unique.values(), key=lambda sub: (sub.order, sub.name))
        ]

    def unknown(self, typed: str) -> tuple[str, list[dict[str, Any]]]:
        own = self.help_entries()
        by_usage = {entry.usage: entry for entry in own}
        names = {
            name: by_usage[sub.usage] for name, sub in self.subcommands.items() if name != "help"
        }
        return build_unknown(self.command, typed, own, names)

    def listener(self, deps: Deps) -> Callable[..., None]:
        def handle_command(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
            command = SlashCommand.model_validate(body)
            parts = command.text.split(maxsplit=1)
            word, rest = [*parts, "", ""][:2]
            subcommand = self.subcommands.get(word.lower())
            if subcommand is None:
                if word and word.lower() != "help":
                    text, blocks = self.unknown(unescape_slack(word))
                else:  # `/afi help vote` means `/afi vote`
                    named = rest.lower().lstrip("/").startswith(("psif", "afi", "action"))
                    topic = rest if named or not rest.strip() else f"{self.command} {rest}"
                    text, blocks = build_help(self.all_help(), topic=topic)
                ack(text=text, blocks=blocks, response_type="ephemeral")
                return
            run(
                subcommand,
                CommandContext(
                    deps, command, rest.strip(), ack, Asker.of(deps, body, client), self.all_help
                ),
            )

        handle_command.__name__ = f"handle_{self.command.strip('/')}_command"
        return handle_command
