"""The demo's stage: the cast (`bot.demo.cast`), the bot's clock, and the verbs a script uses
to act as people in Slack (type a command, click, fill in a modal) and to wait for what the
bot does back (`bot.demo.bot_answers`).

Every verb sends exactly what Slack would send (`bot.demo.driver`) and waits for a positive
sign that the bot has answered; what the bot showed is then added to the transcript.
"""

from __future__ import annotations

import random
import time
from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Any

from slack_sdk import WebClient

from bot.demo import typed_text
from bot.demo.bot_answers import BotAnswers, BotDidNotAnswer, Sent
from bot.demo.cast import Cast, Person
from bot.demo.clock import SettableClock
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.demo.observer import Observer
from bot.demo.transcript import Event, Transcript
from bot.demo.typed_text import describe_inputs
from bot.demo.view_state import find_element
from bot.deps import Deps
from scheduler.nudge_pass import PassReport
from scheduler.runner import nudge_pass
from storage.db import transaction
from storage.models.outbox import OutboxStatus
from storage.repositories.outbox import items

# Follow-up work lands within milliseconds of the request that caused it; this quiet spell
# before the clock moves keeps it with the moment it belongs to. (Only a show concern: the
# demo's checks wait for positive signals.)
SETTLE_SECONDS = 0.03


class Demo:
    def __init__(
        self,
        *,
        fake: FakeSlack,
        driver: SlackDriver,
        deps: Deps,
        clock: SettableClock,
        transcript: Transcript,
        observer: Observer,
        cast: Cast,
        rng: random.Random,
        scheduler_client: WebClient,
        channel: str,
        channel_name: str,
    ) -> None:
        self.fake = fake
        self.driver = driver
        self.deps = deps
        self.clock = clock
        self.transcript = transcript
        self.observer = observer
        self.cast = cast
        self.rng = rng
        self.scheduler_client = scheduler_client
        self.channel = channel
        self.channel_name = channel_name
        self.memory: dict[str, Any] = {}  # what one step finds out for a later one
        # Waiting for what the bot does back.
        self.answers = BotAnswers(fake=fake, observe=self.observe, channel=channel)
        self.wait_until = self.answers.wait_until
        self.reply = self.answers.reply
        self.wait_for_call = self.answers.wait_for_call
        self.home_refreshed = self.answers.home_refreshed
        self.sent_since = self.answers.sent_since
        self.modal = self.answers.modal
        self.posted = self.answers.posted

    # ---- time -----------------------------------------------------------------------

    def local_now(self) -> datetime:
        return self.clock().astimezone(self.deps.settings.timezone)

    def move_to(self, day: date, hour: int = 10, minute: int = 0, *, settle: bool = True) -> None:
        """Move the bot's clock (never backwards) to `day` at `hour`:`minute`, local time;
        `settle=False` when nothing can still be on its way (after a scheduler pass)."""
        local = datetime.combine(day, clock_time(hour, minute), self.deps.settings.timezone)
        if local > self.clock():
            if settle:
                self.settle()
            self.clock.set(local.astimezone(UTC))  # the bot's clock runs in UTC

    def later(self, **delta: float) -> None:
        """Let time pass."""
        self.settle()
        self.clock.advance(**delta)

    def settle(self) -> None:
        """Wait for the bot's last follow-up work (a Home tab refresh, a DM) to reach Slack,
        so it is shown at the time it happened, before the clock moves on."""
        seen = -1
        while seen != len(self.fake.calls):
            seen = len(self.fake.calls)
            time.sleep(SETTLE_SECONDS)
        self.observe()

    def scheduler_pass(self) -> PassReport:
        """One pass of the production scheduler job at the bot's current time."""
        report = nudge_pass(self.deps, self.scheduler_client)
        self.wait_for_outbox()  # the pass owes its posts; the outbox worker sends them
        self.observe()
        return report

    def wait_for_outbox(self, timeout: float = 20.0) -> None:
        """Wait until the outbox has nothing left to deliver."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with transaction(self.deps.sessions) as session:
                if not items(
                    session=session, statuses=[OutboxStatus.PENDING, OutboxStatus.SENDING]
                ):
                    return
            time.sleep(SETTLE_SECONDS)
        raise TimeoutError("the outbox still has messages to deliver")

    # ---- the transcript ---------------------------------------------------------------

    def observe(self) -> None:
        self.observer.flush()

    def note(self, text: str) -> None:
        self.transcript.note(self.local_now(), text)

    def _act(self, who: Person, text: str, fields: tuple[tuple[str, str], ...] = ()) -> None:
        self.observe()  # what the bot did before this belongs above it
        self.observer.actor = who.id
        self.transcript.add(Event(self.local_now(), "action", text, actor=who.name, fields=fields))

    # ---- acting in Slack ----------------------------------------------------------------

    def command(self, who: Person, line: str) -> Sent:
        """Type a slash command in the review's channel, e.g. `/psif invite @a @b`."""
        command, _, text = line.partition(" ")
        self._act(who, f"types {self.readable(line)}")
        before = len(self.fake.calls)
        where = {"channel": self.channel, "channel_name": self.channel_name}
        if who.team_id:
            where["team_id"] = who.team_id
        reply, _, url = self.driver.command(command, text, user=who.id, **where)
        self._check_http(reply.status, reply.body, line)
        self.observer.response_users[url.rsplit("/", 1)[1]] = who.id
        return Sent(url, before)

    def click(
        self,
        who: Person,
        message: dict[str, Any],
        action_id: str,
        *,
        value: str | None = None,
        channel: str | None = None,
        label: str = "",
        ephemeral: bool = False,
    ) -> Sent:
        """Click a button (or pick from a menu) in a message someone can see."""
        _, element = find_element(message.get("blocks", []), action_id, value)
        shown = element.get("text", {}).get("text", "") if element["type"] == "button" else value
        self._act(who, f"clicks [{shown}]{' ' + label if label else ''}")
        before = len(self.fake.calls)
        url = self.fake.new_response_url()
        self.observer.response_users[url.rsplit("/", 1)[1]] = who.id
        reply = self.driver.click_in_message(
            message,
            action_id,
            user=who.id,
            channel=channel or self.channel,
            response_url=url,
            value=value,
            ephemeral=ephemeral,
        )
        self._check_http(reply.status, reply.body, f"the {shown} button")
        return Sent(url, before)

    def submit(self, who: Person, view: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
        """Fill in and submit a modal; return the bot's answer (empty when it closes)."""
        title = view.get("title", {}).get("text", "the form")
        self._act(who, f"submits “{title}”", describe_inputs(view, inputs, self.readable))
        reply = self.driver.submit_view(view, inputs, user=who.id)
        self._check_http(reply.status, reply.body, f"the “{title}” form")
        answer: dict[str, Any] = reply.json() or {}
        if answer.get("response_action") == "errors":
            raise BotDidNotAnswer(f"the “{title}” form was refused: {answer['errors']}")
        if answer.get("response_action") in ("update", "push"):
            shown = {**answer["view"], "id": view["id"], "hash": view.get("hash")}
            self.transcript.add(
                Event(self.local_now(), "modal", "", where=f"modal for {who.name}", view=shown)
            )
            return shown
        return {}

    def open_home(self, who: Person) -> None:
        self._act(who, "opens the bot's Home tab")
        before = len(self.fake.calls)
        reply = self.driver.open_home(who.id)
        self._check_http(reply.status, reply.body, "opening the Home tab")
        self.home_refreshed(self.sent_since(before), who)

    # ---- helpers ------------------------------------------------------------------------

    def readable(self, text: str) -> str:
        """Slack's `<@U123|name>` mentions and `<https://…>` links in what a person typed,
        as they saw them."""
        return typed_text.readable(text, self.transcript.names)

    @staticmethod
    def _check_http(status: int, body: bytes, what: str) -> None:
        if status != 200:
            raise BotDidNotAnswer(f"the bot answered {what} with HTTP {status}: {body[:200]!r}")
