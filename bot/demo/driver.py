"""Talk to the running bot the way Slack does: signed HTTP requests to its /slack/events
endpoint, carrying the payloads Slack sends (`bot.demo.slack_payloads`).
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from bot.demo import slack_payloads
from bot.demo.fake_slack import FakeSlack
from bot.demo.slack_payloads import TEAM
from bot.demo.view_state import view_state


@dataclass
class HttpReply:
    status: int
    body: bytes
    elapsed: float

    def json(self) -> Any:
        return json.loads(self.body) if self.body else None


def sign(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


class SlackDriver:
    """Sends Slack's requests to the bot's /slack/events endpoint."""

    def __init__(
        self,
        base_url: str,
        signing_secret: str,
        fake: FakeSlack,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.url = base_url.rstrip("/") + "/slack/events"
        self.secret = signing_secret
        self.fake = fake
        self.clock = clock
        self._event_counter = 0

    # -- transport ------------------------------------------------------------------------
    def post(
        self,
        body: bytes,
        content_type: str,
        *,
        timestamp: str | None = None,
        signature: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> HttpReply:
        timestamp = timestamp or str(int(self.clock()))
        request = urllib.request.Request(
            self.url,
            data=body,
            method="POST",
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": timestamp,
                "X-Slack-Signature": signature or sign(self.secret, timestamp, body),
                **(headers or {}),
            },
        )
        started = time.perf_counter()
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                reply = HttpReply(response.status, response.read(), time.perf_counter() - started)
        except urllib.error.HTTPError as error:
            return HttpReply(error.code, error.read(), time.perf_counter() - started)
        self._show_command_answer(body, content_type, reply)
        return reply

    def _show_command_answer(self, body: bytes, content_type: str, reply: HttpReply) -> None:
        """A slash command answered in its acknowledgement: Slack shows the answer to the
        person just as a post to the command's response_url, so the fake records it so."""
        if reply.status != 200 or not reply.body.strip() or "form" not in content_type:
            return
        fields = urllib.parse.parse_qs(body.decode("utf-8", "replace"))
        response_url = (fields.get("response_url") or [""])[0]
        if "command" in fields and response_url:
            self.fake.record_acknowledgement(response_url, reply.json())

    def post_form(self, fields: dict[str, str], **kwargs: Any) -> HttpReply:
        body = urllib.parse.urlencode(fields).encode()
        return self.post(body, "application/x-www-form-urlencoded", **kwargs)

    def post_interaction(self, payload: dict[str, Any], **kwargs: Any) -> HttpReply:
        return self.post_form({"payload": json.dumps(payload)}, **kwargs)

    # -- slash commands -------------------------------------------------------------------
    def command(
        self,
        command: str,
        text: str = "",
        *,
        user: str = "UHOST",
        channel: str = "CREVIEW",
        channel_name: str = "psif-review",
        team_id: str = TEAM["id"],
        **kwargs: Any,
    ) -> tuple[HttpReply, str, str]:
        """Send a slash command; return (reply, trigger_id, response_url). Another `team_id`
        sends it as a Slack Connect user from that workspace would."""
        trigger_id = self.fake.issue_trigger_id()
        response_url = self.fake.new_response_url()
        fields = slack_payloads.command_fields(
            command,
            text,
            user=user,
            channel=channel,
            channel_name=channel_name,
            team_id=team_id,
            trigger_id=trigger_id,
            response_url=response_url,
        )
        return self.post_form(fields, **kwargs), trigger_id, response_url

    # -- interactions ---------------------------------------------------------------------
    def click_in_message(
        self,
        message: dict[str, Any],
        action_id: str,
        *,
        user: str,
        channel: str,
        response_url: str | None = None,
        value: str | None = None,
        selected_option: dict[str, Any] | None = None,
        ephemeral: bool | None = None,
        action_ts: str | None = None,
    ) -> HttpReply:
        """Click a button (or pick an overflow option) in a posted or ephemeral message.

        A given `response_url` marks the message ephemeral unless `ephemeral` says otherwise
        (a channel message's clicks get a fresh response_url too). `action_ts` repeats an
        earlier click, as a redelivery would.
        """
        action = slack_payloads.clicked_action(
            message.get("blocks", []),
            action_id,
            value=value,
            selected_option=selected_option,
            action_ts=action_ts,
        )
        payload = slack_payloads.message_click(
            message,
            action,
            user=user,
            channel=channel,
            is_ephemeral=response_url is not None if ephemeral is None else ephemeral,
            trigger_id=self.fake.issue_trigger_id(),
            response_url=response_url or self.fake.new_response_url(),
        )
        return self.post_interaction(payload)

    def act_in_view(
        self,
        view: dict[str, Any],
        block_id_prefix: str,
        *,
        user: str,
        inputs: dict[str, Any] | None = None,
        value: Any = None,
    ) -> HttpReply:
        """An interaction inside a modal (a dispatching input or a button)."""
        state = view_state(view, inputs or {})
        action = slack_payloads.view_action(view, block_id_prefix, value)
        payload = slack_payloads.view_click(
            {**view, "state": {"values": state}},
            action,
            user=user,
            trigger_id=self.fake.issue_trigger_id(),
        )
        return self.post_interaction(payload)

    def click_in_home(
        self,
        action_id: str,
        *,
        user: str,
        value: str | None = None,
        selected_option: dict[str, Any] | None = None,
    ) -> HttpReply:
        """Click a button (or pick an overflow option) in the user's published Home tab.

        As from Slack, the payload has the home view as container and no response_url.
        """
        view = self.fake.home_tabs[user]
        action = slack_payloads.clicked_action(
            view.get("blocks", []), action_id, value=value, selected_option=selected_option
        )
        payload = slack_payloads.view_click(
            view, action, user=user, trigger_id=self.fake.issue_trigger_id()
        )
        return self.post_interaction(payload)

    def submit_view(self, view: dict[str, Any], inputs: dict[str, Any], *, user: str) -> HttpReply:
        """Submit a modal as Slack does, with the state of every input block."""
        payload = slack_payloads.view_submission(
            view, inputs, user=user, trigger_id=self.fake.issue_trigger_id()
        )
        return self.post_interaction(payload)

    # -- events ---------------------------------------------------------------------------
    def event(
        self, event: dict[str, Any], *, event_id: str | None = None, retry_num: int | None = None
    ) -> HttpReply:
        self._event_counter += 1
        body = slack_payloads.event_callback(
            event, event_id=event_id or f"Ev{self._event_counter:08d}"
        )
        headers = {}
        timestamp = None
        if retry_num is not None:
            headers = {"X-Slack-Retry-Num": str(retry_num), "X-Slack-Retry-Reason": "http_timeout"}
            # Slack retries later, with a fresh timestamp and so a fresh signature.
            timestamp = str(int(self.clock()) + 60 * retry_num)
        return self.post(
            json.dumps(body).encode(), "application/json", headers=headers, timestamp=timestamp
        )

    def open_home(self, user: str) -> HttpReply:
        return self.event(slack_payloads.app_home_opened(user))
