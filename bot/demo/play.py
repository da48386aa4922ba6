"""`Demo`: the verbs a script uses to act as people in Slack (type a command, click, fill in a
modal), each sending what Slack would send and waiting for a positive sign of the bot's answer;
what the bot sent goes into the transcript as people saw it, and anything Slack refused stops
the demo."""

from __future__ import annotations

import html
import random
import time
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from datetime import time as clock_time
from typing import Any

from slack_sdk import WebClient

from bot.demo.clock import SettableClock
from bot.demo.driver import HttpReply, SlackDriver, field_name, find_element, options_of
from bot.demo.fake_slack import Call, FakeSlack, ResponsePost
from bot.demo.transcript import Event, Kind, SharedFile, Transcript, to_text
from bot.deps import Deps
from bot.survey.service import STYLESHEET_PATH as STYLESHEET
from scheduler.nudge_pass import PassReport
from scheduler.runner import nudge_pass
from storage.db import transaction
from storage.models.outbox import OutboxStatus
from storage.repositories.outbox import items

WAIT_SECONDS = 15.0
# Follow-up work lands within milliseconds of the request that caused it; this quiet spell
# before the clock moves keeps it with the moment it belongs to. (Only a show concern: the
# demo's checks wait for positive signals.)
SETTLE_SECONDS = 0.03
# Calls that only look things up: nothing a person sees.
_QUIET_METHODS = frozenset(
    {
        "auth.test",
        "chat.getPermalink",
        "conversations.open",
        "conversations.history",
        "conversations.info",
        "users.info",
        "files.getUploadURLExternal",
    }
)


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    team_id: str | None = None  # another Slack workspace's (Slack Connect); None: the host's


@dataclass(frozen=True)
class Cast:
    host_lead: Person
    host_team: Person
    is_lead: Person
    is_team: Person
    peers: tuple[Person, ...]  # peer reviewers from other councils
    stakeholders: tuple[Person, ...]
    # The host council's officers taking part in fieldwork: neither team nor stakeholders.
    host_participants: tuple[Person, ...] = ()

    @property
    def team(self) -> tuple[Person, ...]:
        return (self.host_lead, self.host_team, self.is_lead, self.is_team, *self.peers)

    @property
    def everyone(self) -> tuple[Person, ...]:
        return (*self.team, *self.stakeholders, *self.host_participants)


class BotDidNotAnswer(Exception):
    """The bot did not do what the step expected within WAIT_SECONDS."""


class SlackRefused(Exception):
    """Slack (the fake, checking like the real one) refused something the bot sent."""


@dataclass(frozen=True)
class Sent:
    url: str  # the response_url Slack gave the bot with it ("" when none)
    calls_before: int


@dataclass
class Demo:
    fake: FakeSlack
    driver: SlackDriver
    deps: Deps
    clock: SettableClock
    transcript: Transcript
    cast: Cast
    rng: random.Random
    scheduler_client: WebClient
    channel: str
    channel_name: str
    memory: dict[str, Any] = field(default_factory=dict)  # what one step finds out for a later one
    # What `observe` needs to show the bot's answers: who acted last (a modal opened now is
    # theirs), who each response_url and modal belongs to, and how much it has already shown.
    _actor: str = ""
    _response_users: dict[str, str] = field(default_factory=dict)
    _view_users: dict[str, str] = field(default_factory=dict)
    _calls_seen: int = 0
    _responses_seen: int = 0

    # ---- time -----------------------------------------------------------------------

    def local_now(self) -> datetime:
        return self.clock().astimezone(self.deps.settings.timezone)

    def move_to(self, day: date, hour: int = 10, minute: int = 0, *, settle: bool = True) -> None:
        """Move the bot's clock (never backwards) to `day` at `hour`:`minute`, local time."""
        local = datetime.combine(day, clock_time(hour, minute), self.deps.settings.timezone)
        if local > self.clock():
            if settle:
                self.settle()
            self.clock.set(local.astimezone(UTC))  # the bot's clock runs in UTC

    def later(self, **delta: float) -> None:
        self.settle()
        self.clock.advance(**delta)

    def settle(self) -> None:
        """Show the bot's last follow-up work (a Home tab refresh, a DM) when it happened."""
        self._quiet()
        self.observe()

    def _quiet(self) -> None:
        """Wait until the bot has sent nothing for a moment and owes nothing."""
        seen = -1
        while seen != len(self.fake.calls):
            seen = len(self.fake.calls)
            time.sleep(SETTLE_SECONDS)
            # Slower follow-up work (a report's Word file) is owed through the outbox.
            self.wait_until(self._outbox_delivered, "delivered what it owed")

    def scheduler_pass(self) -> PassReport:
        """One pass of the production scheduler job at the bot's current time."""
        report = nudge_pass(self.deps, self.scheduler_client)
        self.wait_until(self._outbox_delivered, "delivered what the scheduler owed")
        self.observe()
        return report

    def _outbox_delivered(self) -> bool:
        """Whether the outbox has sent all it owes by now on the bot's clock."""
        now = self.clock()
        with transaction(self.deps.sessions) as session:
            owed = items(session=session, statuses=[OutboxStatus.PENDING, OutboxStatus.SENDING])
            due = [item.not_before.replace(tzinfo=item.not_before.tzinfo or UTC) for item in owed]
        return all(when > now for when in due)

    # ---- acting in Slack ----------------------------------------------------------------

    def command(self, who: Person, line: str) -> Sent:
        command, _, text = line.partition(" ")
        before = self._act(who, f"types {to_text(line, self.transcript.names)}")
        where = {"channel": self.channel, "channel_name": self.channel_name}
        if who.team_id:
            where["team_id"] = who.team_id
        reply, _, url = self.driver.command(command, text, user=who.id, **where)
        self._check_http(reply, line)
        self._response_users[url.rsplit("/", 1)[1]] = who.id
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
        _, element = find_element(message.get("blocks", []), action_id, value)
        shown = element.get("text", {}).get("text", "") if element["type"] == "button" else value
        before = self._act(who, f"clicks [{shown}]{' ' + label if label else ''}")
        url = self.fake.new_response_url()
        self._response_users[url.rsplit("/", 1)[1]] = who.id
        reply = self.driver.click_in_message(
            message,
            action_id,
            user=who.id,
            channel=channel or self.channel,
            response_url=url,
            value=value,
            ephemeral=ephemeral,
        )
        self._check_http(reply, f"the {shown} button")
        return Sent(url, before)

    def submit(self, who: Person, view: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
        """Fill in and submit a modal; return the bot's answer (empty when it closes)."""
        title = view.get("title", {}).get("text", "the form")
        self._act(who, f"submits “{title}”", self._described(view, inputs))
        reply = self.driver.submit_view(view, inputs, user=who.id)
        self._check_http(reply, f"the “{title}” form")
        answer: dict[str, Any] = reply.json() or {}
        if answer.get("response_action") == "errors":
            raise BotDidNotAnswer(f"the “{title}” form was refused: {answer['errors']}")
        if answer.get("response_action") in ("update", "push"):
            shown = {**answer["view"], "id": view["id"], "hash": view.get("hash")}
            where = f"modal for {who.name}"
            self.transcript.add(Event(self.local_now(), "modal", "", where=where, view=shown))
            return shown
        return {}

    def open_home(self, who: Person) -> None:
        before = self._act(who, "opens the bot's Home tab")
        reply = self.driver.open_home(who.id)
        self._check_http(reply, "opening the Home tab")
        self.home_refreshed(self.sent_since(before), who)

    def _described(
        self, view: dict[str, Any], inputs: dict[str, Any]
    ) -> tuple[tuple[str, str], ...]:
        """What a person filled in, as (label, value) pairs in the modal's order."""
        described: list[tuple[str, str]] = []
        for block in view.get("blocks", []):
            name = field_name(block)
            if block.get("type") != "input" or inputs.get(name) in (None, "", []):
                continue
            element, value = block["element"], inputs[name]
            options = {o["value"]: o["text"]["text"] for o in options_of(element)}
            values = value if isinstance(value, list) else [value]
            if element["type"].endswith("users_select"):
                shown = ", ".join("@" + self.transcript.names(v) for v in values)
            else:
                shown = ", ".join(options.get(str(v), str(v)) for v in values)
            described.append((block["label"]["text"], shown))
        return tuple(described)

    def _act(self, who: Person, text: str, fields: tuple[tuple[str, str], ...] = ()) -> int:
        """Show what `who` does; how many calls the bot had made before."""
        self.observe()  # what the bot did before this belongs above it
        self._actor = who.id
        self.transcript.add(Event(self.local_now(), "action", text, actor=who.name, fields=fields))
        return len(self.fake.calls)

    @staticmethod
    def _check_http(reply: HttpReply, what: str) -> None:
        if reply.status != 200:
            raise BotDidNotAnswer(
                f"the bot answered {what} with HTTP {reply.status}: {reply.body[:200]!r}"
            )

    # ---- a browser, for people without Slack ----------------------------------------------

    def browse(
        self,
        who: str,
        path: str,
        *,
        form: dict[str, str] | None = None,
        doing: str = "opens the link they were sent",
    ) -> str:
        """Open one of the bot's pages (or send its `form`) in a browser, following where it
        leads; the page they end on goes in the transcript, and its HTML is returned."""
        self.observe()
        self.transcript.add(Event(self.local_now(), "action", doing, actor=who))
        base = self.driver.url.removesuffix("/slack/events")
        data = urllib.parse.urlencode(form).encode() if form is not None else None
        with urllib.request.urlopen(base + path, data=data, timeout=WAIT_SECONDS) as answer:
            page = str(answer.read().decode())
        with urllib.request.urlopen(base + STYLESHEET, timeout=WAIT_SECONDS) as sheet:
            style = str(sheet.read().decode())
        link = f'<link rel="stylesheet" href="{STYLESHEET}">'
        inline = page.replace(link, f"<style>{style}</style>")
        title = html.unescape(page.split("<title>", 1)[-1].split("</title>", 1)[0])
        where = f"web page for {who}"
        self.transcript.add(Event(self.local_now(), "web", title, where=where, page=inline))
        return page

    # ---- waiting for the bot ----------------------------------------------------------

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
        self.wait_for_call(
            "views.publish", sent.calls_before, lambda c: c.args["user_id"] == who.id
        )

    def sent_since(self, calls_before: int) -> Sent:
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

    # ---- the transcript ---------------------------------------------------------------

    def note(self, text: str) -> None:
        self.transcript.note(self.local_now(), text)

    def observe(self) -> None:
        """Add what the bot sent since the last look to the transcript, oldest first."""
        if any(self._dm_to(call) for call in self.fake.calls[self._calls_seen :]):
            self._quiet()  # every direct message sent together is shown together
        calls = self.fake.calls[self._calls_seen :]
        responses = self.fake.responses[self._responses_seen :]
        self._calls_seen += len(calls)
        self._responses_seen += len(responses)
        happenings: list[Call | ResponsePost] = [*calls, *responses]
        happenings.sort(key=lambda happening: happening.timestamp)
        for happening in self._dms_by_name(happenings):
            if isinstance(happening, Call):
                self._show_call(happening)
            else:
                self._show_response(happening)

    def _dms_by_name(self, happenings: list[Call | ResponsePost]) -> list[Call | ResponsePost]:
        """Direct messages (the outbox sends those owed together in no set order) in the
        places they took, ordered by recipient's name, so that every run reads the same."""
        places = [index for index, happening in enumerate(happenings) if self._dm_to(happening)]
        ordered = list(happenings)
        by_name = sorted((happenings[index] for index in places), key=self._dm_to)
        for index, happening in zip(places, by_name, strict=True):
            ordered[index] = happening
        return ordered

    def _dm_to(self, happening: Call | ResponsePost) -> str:
        """ "DM to <name>" for a direct message the bot posted, else ""."""
        if isinstance(happening, Call) and happening.method == "chat.postMessage":
            where = self._where(str(happening.args["channel"]))
            return where if where.startswith("DM to ") else ""
        return ""

    def _show(self, kind: Kind, where: str, text: str = "", **extra: Any) -> None:
        self.transcript.add(Event(self.local_now(), kind, text, where=where, **extra))

    def _where(self, channel: str) -> str:
        known = self.fake.channels.get(channel)
        if channel.startswith("U"):
            return f"DM to {self.transcript.names(channel)}"
        if channel.startswith("D") and known is not None and known.user:
            return f"DM to {self.transcript.names(known.user)}"
        return "#" + (self.channel_name if channel == self.channel else channel)

    def _show_call(self, call: Call) -> None:
        if not call.ok:
            detail = call.response.get("response_metadata", {}).get("messages", [])
            raise SlackRefused(
                f"Slack answered {call.method} with {call.response.get('error')!r} {detail}"
            )
        args, names = call.args, self.transcript.names
        match call.method:
            case "chat.postMessage":
                where = self._where(str(args["channel"]))
                if args.get("thread_ts"):
                    where += " (in a thread)"
                self._show("message", where, str(args.get("text", "")), blocks=args.get("blocks"))
            case "chat.update":
                where = self._where(str(args["channel"])) + " (message updated)"
                self._show("update", where, str(args.get("text", "")), blocks=args.get("blocks"))
            case "views.open":
                view = call.response["view"]
                self._view_users[view["id"]] = self._actor
                self._show("modal", f"modal for {names(self._actor)}", view=view)
            case "views.update":
                view = call.response["view"]
                where = f"modal for {names(self._view_users.get(view['id'], ''))} (updated)"
                self._show("modal", where, view=view)
            case "views.publish":
                where = f"Home tab of {names(str(args['user_id']))}"
                self._show("home", where, view=call.response["view"])
            case "files.completeUploadExternal":
                uploads = [self.fake.files[entry["id"]] for entry in args["files"]]
                shared = tuple(
                    SharedFile(upload.filename, upload.title or "", upload.content or b"")
                    for upload in uploads
                )
                where = self._where(uploads[0].channel_id or "")
                if uploads[0].thread_ts:
                    where += " (in a thread)"
                self._show("file", where, uploads[0].initial_comment or "", files=shared)
            case method if method in _QUIET_METHODS:
                pass
            case method:
                raise SlackRefused(f"the demo does not know how to show {method}")

    def _show_response(self, post: ResponsePost) -> None:
        if post.status != 200:
            raise SlackRefused(f"Slack refused a response_url post ({post.status})")
        body = post.body
        if body.get("response_type") == "in_channel":
            where = "#" + self.channel_name
        else:
            where = f"only {self.transcript.names(self._response_users.get(post.url_id, ''))} sees"
        if body.get("replace_original") in (True, "true"):
            where += " (replaces the message)"
        self._show("ephemeral", where, str(body.get("text", "")), blocks=body.get("blocks"))
