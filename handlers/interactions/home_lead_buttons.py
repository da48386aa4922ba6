"""A lead's Home tab buttons: Invite stakeholders, Post results, Start a vote, Post the plan.

Each press is checked first (the tab may be days old: the presser may lead no more, the
review may have closed), then runs the command itself as if typed in the review's channel,
so the same checks run and the same modal opens or the same message is posted.

A typed command's answers show only to its typist, in the channel; the Home tab has nowhere
to show them, so they come by direct message (as `answer_user` does for Home buttons).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt import Ack, App, Args, Respond
from slack_sdk import WebClient

from bot.deps import Deps
from bot.home.lead import LeadTarget, lead_target
from bot.home.lead_views import build_invite_modal
from bot.home.service import refresh_home
from bot.review_access import Refusal
from bot.reviews.permissions import Operation
from bot.slack import ids
from bot.slack.blocks import context
from bot.slack.calls import direct_message, open_view
from bot.slack.payloads import SlashCommand, action_value, record_id, team_id_of
from bot.slack.text import channel_link
from handlers.commands.action import plan
from handlers.commands.afi import vote
from handlers.commands.psif import results
from handlers.commands.router import CommandContext

SLOW = "Slack took too long to open the form; please press the button again."


@dataclass
class HomeCommandContext(CommandContext):
    """A command run from the Home tab: already acknowledged, answering by direct message,
    each answer saying which review's channel it is about ("this channel" is theirs)."""

    replied: bool = False

    def reply(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        self.replied = True
        where = f"In {channel_link(self.command.channel_id)}:"
        self.tell(f"{where} {text}", [context(where), *blocks] if blocks else None)

    def tell(self, text: str, blocks: list[dict[str, Any]] | None = None) -> None:
        direct_message(self.slack_client, user=self.user_id, text=text, blocks=blocks)


def checked_target(
    deps: Deps, client: WebClient, body: dict[str, Any], *, review_id: int, operation: Operation
) -> LeadTarget | None:
    """The button's review if the presser still leads it; else tell them why not and
    refresh their tab so that the stale button goes."""
    user_id = body["user"]["id"]
    target = lead_target(deps, user_id=user_id, review_id=review_id, operation=operation)
    if isinstance(target, str):
        direct_message(client, user=user_id, text=target)
        refresh_home(deps, team_id=team_id_of(body), user_id=user_id)
        return None
    return target


def command_context(
    deps: Deps,
    body: dict[str, Any],
    target: LeadTarget,
    *,
    command: str,
    words: str,
    ack: Ack,
    respond: Respond,
    client: WebClient,
    logger: logging.Logger,
) -> HomeCommandContext:
    """The context of `command words` typed by the presser in the review's channel (the
    press already acknowledged with `ack`)."""
    typed = SlashCommand(
        command=command,
        text=words,
        user_id=body["user"]["id"],
        channel_id=target.channel_id,
        team_id=team_id_of(body),
        trigger_id=str(body.get("trigger_id", "")),
    )
    args = words.split(maxsplit=1)[1] if " " in words else ""
    return HomeCommandContext(
        deps, typed, args, ack, respond, client, logger, list, acknowledged=True
    )


def run_as_typed(ctx: HomeCommandContext, run: Callable[[CommandContext], None]) -> None:
    """Run the command's own code for the Home tab; anything the command router does around
    a subcommand (turning a service's refusal into the reply) belongs here too."""
    try:
        run(ctx)
    except Refusal as refusal:  # NoReviewHere included: the button names a review's channel
        ctx.reply(refusal.message)


@dataclass(frozen=True)
class LeadCommand:
    """What a lead button runs: `command words` and the permission it needs."""

    operation: Operation
    command: str
    words: str
    run: Callable[[CommandContext], None]
    done: str | None  # said when the command, having posted in the channel, says nothing


RESULTS = LeadCommand(
    Operation.SEE_RESULTS, "/psif", "results", results.run, "I've posted the results in {channel}."
)
VOTE = LeadCommand(Operation.RUN_VOTE, "/afi", "vote", vote.run, None)  # it opens a form
PLAN = LeadCommand(
    Operation.SEE_PLAN, "/action", "plan", plan.run, "I've posted the plan in {channel}."
)


def run_for_lead(
    deps: Deps,
    lead_command: LeadCommand,
    args: Args,
) -> None:
    ack, body, client = args.ack, args.body, args.client
    review_id = record_id(action_value(args.action or {}))
    ack()
    target = checked_target(
        deps, client, body, review_id=review_id, operation=lead_command.operation
    )
    if target is None:
        return
    ctx = command_context(
        deps,
        body,
        target,
        command=lead_command.command,
        words=lead_command.words,
        ack=ack,
        respond=args.respond,
        client=client,
        logger=args.logger,
    )
    run_as_typed(ctx, lead_command.run)
    if lead_command.done and not ctx.replied:
        ctx.tell(lead_command.done.format(channel=channel_link(target.channel_id)))


def register(app: App, deps: Deps) -> None:
    @app.action(ids.HOME_INVITE)
    def handle_home_invite(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        review_id = record_id(action_value(action))
        ack()
        target = checked_target(
            deps, client, body, review_id=review_id, operation=Operation.INVITE_STAKEHOLDERS
        )
        if target is None:
            return

        def click_again() -> None:
            direct_message(client, user=body["user"]["id"], text=SLOW)

        open_view(
            client,
            trigger_id=body["trigger_id"],
            view=build_invite_modal(
                review_id=target.review_id,
                host_council=target.host_council,
                channel_id=target.channel_id,
            ),
            on_expired=click_again,
        )

    @app.action(ids.HOME_RESULTS)
    def handle_home_results(args: Args) -> None:
        run_for_lead(deps, RESULTS, args)

    @app.action(ids.HOME_VOTE)
    def handle_home_vote(args: Args) -> None:
        run_for_lead(deps, VOTE, args)

    @app.action(ids.HOME_PLAN)
    def handle_home_plan(args: Args) -> None:
        run_for_lead(deps, PLAN, args)
