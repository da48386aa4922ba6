"""Waiting for what the bot does back after a person acts: its answers to a response_url,
its Web API calls (a modal opened, a message posted, a Home tab refreshed). Each wait is for
a positive sign, up to WAIT_SECONDS."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.demo.cast import Person
from bot.demo.fake_slack import Call, FakeSlack

WAIT_SECONDS = 15.0


class BotDidNotAnswer(Exception):
    """The bot did not do what the step expected within WAIT_SECONDS."""


@dataclass(frozen=True)
class Sent:
    """An action sent to the bot: where its answers go and what had happened before it."""

    url: str  # the response_url Slack gave the bot with it
    calls_before: int


class BotAnswers:
    """Finds the bot's answers in what the fake Slack recorded; `observe` adds what the bot
    showed to the transcript once it has answered."""

    def __init__(self, *, fake: FakeSlack, observe: Callable[[], None], channel: str) -> None:
        self.fake = fake
        self.observe = observe
        self.channel = channel

    def wait_until(self, condition: Callable[[], bool], what: str) -> None:
        deadline = time.monotonic() + WAIT_SECONDS
        while not condition():
            if time.monotonic() > deadline:
                raise BotDidNotAnswer(f"the bot never {what}")
            time.sleep(0.005)

    def reply(self, sent: Sent, count: int = 1) -> dict[str, Any]:
        """The `count`th answer the bot sent to this action's response_url."""
        url_id = sent.url.rsplit("/", 1)[1]

        def answers() -> list[dict[str, Any]]:
            return [post.body for post in list(self.fake.responses) if post.url_id == url_id]

        self.wait_until(lambda: len(answers()) >= count, "answered")
        self.observe()
        return answers()[count - 1]

    def wait_for_call(
        self, method: str, since: int, where: Callable[[Call], bool] = lambda _: True
    ) -> Call:
        """The first successful `method` call since call number `since` that `where` likes."""

        def found() -> list[Call]:
            return [c for c in self.fake.calls[since:] if c.method == method and where(c)]

        self.wait_until(lambda: bool(found()), f"called {method}")
        self.observe()
        return found()[0]

    def home_refreshed(self, sent: Sent, who: Person) -> None:
        """Wait for `who`'s Home tab to be brought up to date after `sent`."""
        self.wait_for_call(
            "views.publish", sent.calls_before, lambda c: c.args["user_id"] == who.id
        )

    def sent_since(self, calls_before: int) -> Sent:
        """For waiting on what the bot does after an action that has no response_url."""
        return Sent("", calls_before)

    def modal(self, sent: Sent) -> dict[str, Any]:
        """The modal the bot opened in answer to `sent`."""
        return dict(self.wait_for_call("views.open", sent.calls_before).response["view"])

    def posted(self, sent: Sent, channel: str | None = None) -> dict[str, Any]:
        """The first message the bot posted (to `channel`, default the review's) after `sent`."""
        target = channel or self.channel
        call = self.wait_for_call(
            "chat.postMessage", sent.calls_before, lambda c: c.args["channel"] == target
        )
        return {**call.args, "ts": call.response["ts"]}
