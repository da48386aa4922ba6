"""A lead's Home tab buttons: Invite stakeholders, Post results, Start a vote, Post the plan.

Each press is checked first (the tab may be days old: the presser may lead no more, the
review may have closed), then calls the service its command calls, for the review's
channel, so the same checks run and the same modal opens or the same message is posted.

The Home tab has nowhere to show an answer, so answers come by direct message, each saying
which review's channel it is about.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.afis.vote_control import vote_form
from bot.core.errors import Refusal
from bot.core.permissions import Operation
from bot.deps import Deps
from bot.home.lead import LeadTarget, lead_target
from bot.home.lead_views import build_invite_modal
from bot.home.service import refresh_home
from bot.improvement_actions.plan import post_plan
from bot.self_assessment.results_posting import post_channel_results
from bot.slack import ids
from bot.slack.after_ack import Asker
from bot.slack.blocks import Block
from bot.slack.payloads import action_value, record_id
from bot.slack.text import channel_link


class LeadPress:
    """A lead's press (or form) in the Home tab: who, in which workspace, and how to answer."""

    def __init__(self, deps: Deps, body: dict[str, Any], client: WebClient) -> None:
        # The Home tab has no response_url: answers come by direct message.
        self.asker = Asker.of(deps, body, client)
        self.deps = deps
        self.user_id = self.asker.user_id
        self.team_id = self.asker.team_id

    def target(self, review_id: int, operation: Operation) -> LeadTarget | None:
        """The button's review if the presser still leads it; else tell them why not and
        refresh their tab so that the stale button goes."""
        target = lead_target(
            self.deps, user_id=self.user_id, review_id=review_id, operation=operation
        )
        if isinstance(target, str):
            self.asker.tell(target)
            refresh_home(self.deps, team_id=self.team_id, user_id=self.user_id)
            return None
        return target

    def tell_about(self, target: LeadTarget, answers: list[str], *, done: str = "") -> None:
        """The service's answers about the review's channel, or `done` if it said nothing."""
        where = channel_link(target.channel_id)
        for answer in answers:
            self.asker.tell(f"In {where}: {answer}")
        if done and not answers:
            self.asker.tell(done.format(channel=where))

    def open(self, view: Block) -> None:
        self.asker.open_modal(view)


def post_results(press: LeadPress, target: LeadTarget) -> None:
    """Slack is asked whether the channel is private first: once acknowledged."""

    def post() -> None:
        try:
            answers = post_channel_results(
                lambda: press.asker.client,
                press.deps,
                channel_id=target.channel_id,
                user_id=press.user_id,
                team_id=press.team_id,
            )
        except Refusal as refusal:
            answers = [refusal.message]
        press.tell_about(target, answers, done="The results are on their way to {channel}.")

    press.asker.later(post)


def post_whole_plan(press: LeadPress, target: LeadTarget) -> None:
    try:
        answers = post_plan(press.deps, channel_id=target.channel_id, user_id=press.user_id)
    except Refusal as refusal:
        answers = [refusal.message]
    press.tell_about(target, answers, done="The plan is on its way to {channel}.")


def open_vote_form(press: LeadPress, target: LeadTarget) -> None:
    try:
        view = vote_form(
            press.deps, channel_id=target.channel_id, user_id=press.user_id, response_url=""
        )
    except Refusal as refusal:
        press.tell_about(target, [refusal.message])
        return
    press.open(view)


def open_invite_form(press: LeadPress, target: LeadTarget) -> None:
    press.open(
        build_invite_modal(
            review_id=target.review_id,
            host_council=target.host_council,
            channel_id=target.channel_id,
        )
    )


def pressed(
    deps: Deps,
    body: dict[str, Any],
    action: dict[str, Any],
    client: WebClient,
    operation: Operation,
    run: Callable[[LeadPress, LeadTarget], None],
) -> None:
    """Run a lead button's use case if the presser may still use the button."""
    press = LeadPress(deps, body, client)
    target = press.target(record_id(action_value(action)), operation)
    if target is not None:
        run(press, target)


def register(app: App, deps: Deps) -> None:
    @app.action(ids.HOME_INVITE)
    def handle_home_invite(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        pressed(deps, body, action, client, Operation.INVITE_STAKEHOLDERS, open_invite_form)

    @app.action(ids.HOME_RESULTS)
    def handle_home_results(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        pressed(deps, body, action, client, Operation.SEE_RESULTS, post_results)

    @app.action(ids.HOME_VOTE)
    def handle_home_vote(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        pressed(deps, body, action, client, Operation.RUN_VOTE, open_vote_form)

    @app.action(ids.HOME_PLAN)
    def handle_home_plan(
        ack: Ack, body: dict[str, Any], action: dict[str, Any], client: WebClient
    ) -> None:
        ack()
        pressed(deps, body, action, client, Operation.SEE_PLAN, post_whole_plan)
