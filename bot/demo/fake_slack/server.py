"""The fake Slack Web API over HTTP on 127.0.0.1, recording every call it answers.

``FakeSlack`` runs a real HTTP server (ephemeral port, daemon thread) that speaks enough of
the Slack Web API for psif-bot: point ``slack_sdk.WebClient`` (or Bolt's ``App(client=...)``)
at ``fake.base_url`` and the bot's calls are answered as Slack answers them:

* every call is recorded as a :class:`Call` (method, decoded arguments, token, time, HTTP
  status and the answer): read ``fake.calls`` or use :meth:`FakeSlack.calls_to`,
  :meth:`FakeSlack.last` and :meth:`FakeSlack.wait_for` (Bolt answers after ``ack()``, so
  the Web API calls usually arrive a little later, on another thread);
* the bot token is checked (``not_authed`` / ``invalid_auth``);
* the workspace (channels, DMs, users, modals, Home tabs, uploads, ``response_url`` posts)
  is simulated by :class:`~bot.demo.fake_slack.workspace.Workspace` and Block Kit is checked
  by :mod:`~bot.demo.fake_slack.validator`;
* faults can be injected: :meth:`FakeSlack.fail_next` (HTTP 429 with ``Retry-After``, 5xx,
  or a 200 with ``ok: false``) and :meth:`FakeSlack.delay`.

Example::

    with FakeSlack() as fake:
        client = WebClient(base_url=fake.base_url, token="xoxb-test")
        client.chat_postMessage(channel="C1", text="hi")
        assert fake.last("chat.postMessage").args["text"] == "hi"
"""

from __future__ import annotations

import copy
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from bot.demo.fake_slack.arguments import optional_text
from bot.demo.fake_slack.call_log import Call, CallLog, ResponsePost
from bot.demo.fake_slack.faults import Faults
from bot.demo.fake_slack.methods import METHODS
from bot.demo.fake_slack.oauth import OAuthApp
from bot.demo.fake_slack.slack_error import SlackError
from bot.demo.fake_slack.transport import Reply, Server, json_body, parse_args
from bot.demo.fake_slack.workspace import Workspace
from bot.demo.fake_slack.workspace_objects import Channel, UploadedFile, User

# How often the server's loop looks for a shutdown request: stopping waits up to this long.
_POLL_SECONDS = 0.01


class FakeSlack:
    """A threaded fake of the Slack Web API; see the module docstring.

    ``tokens`` lists the accepted bot tokens (default: any token beginning ``xoxb-``);
    ``clock`` and ``strict_channels`` configure the :class:`Workspace`.
    """

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        tokens: Iterable[str] | None = None,
        strict_channels: bool = False,
    ) -> None:
        self.workspace = Workspace(clock=clock, strict_channels=strict_channels)
        self._lock = self.workspace.lock  # one lock for the state and the records
        self._tokens = None if tokens is None else frozenset(tokens)
        # Set by `enable_oauth`: workspaces install through OAuth, each with its own tokens.
        self.oauth: OAuthApp | None = None
        self._server: Server | None = None
        self._thread: threading.Thread | None = None
        # What was answered, and how to wait for it.
        self.log = CallLog(self._lock)
        self.calls = self.log.calls
        self.responses = self.log.responses
        self.calls_to = self.log.calls_to
        self.last = self.log.last
        self.wait_for = self.log.wait_for
        self.wait_for_responses = self.log.wait_for_responses
        # Faults to inject into later answers.
        self._faults = Faults(self._lock)
        self.fail_next = self._faults.fail_next
        self.delay = self._faults.delay
        # Configuration, passed through to the workspace.
        self.set_channel = self.workspace.set_channel
        self.add_user = self.workspace.add_user
        self.add_user_group = self.workspace.add_user_group
        self.issue_trigger_id = self.workspace.issue_trigger_id
        self.new_response_url = self.workspace.new_response_url
        self.close_view = self.workspace.close_view
        self.messages_in = self.workspace.messages_in

    # ---- the workspace's state, for reading --------------------------------------------

    @property
    def channels(self) -> dict[str, Channel]:
        return self.workspace.channels

    @property
    def users(self) -> dict[str, User]:
        return self.workspace.users

    @property
    def messages(self) -> dict[tuple[str, str], dict[str, Any]]:
        """(channel, ts) → the message as Slack stores it now."""
        return self.workspace.messages

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        return self.workspace.views

    @property
    def home_tabs(self) -> dict[str, dict[str, Any]]:
        return self.workspace.home_tabs

    @property
    def files(self) -> dict[str, UploadedFile]:
        return self.workspace.files

    # ---- lifecycle ------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is None:
            self._server = Server(self)
            self.workspace.root_url = self.root_url
            self._thread = threading.Thread(
                target=self._server.serve_forever,
                args=(_POLL_SECONDS,),
                name="fake-slack",
                daemon=True,
            )
            self._thread.start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None
        if self._thread is not None:
            self._thread.join(timeout=5)
            self._thread = None

    def __enter__(self) -> FakeSlack:
        return self.start()

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def port(self) -> int:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return int(self._server.server_address[1])

    @property
    def root_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """Web API base URL for ``WebClient(base_url=...)`` (with the trailing slash)."""
        return f"{self.root_url}/api/"

    # ---- records and faults ----------------------------------------------------------

    def reset(self) -> None:
        """Forget recorded calls and response_url posts, pending faults and delays.
        Configuration and Slack-side state (channels, users, messages, views, files) stay."""
        with self._lock:
            self.log.clear()
            self._faults.clear()

    # ---- request handling -----------------------------------------------------------

    def handle(self, path: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one HTTP request; ``headers`` has lower-case names."""
        if path.startswith("/api/"):
            return self._api(path.removeprefix("/api/"), query, headers, body)
        if path.startswith("/upload/"):
            return self._upload(path.removeprefix("/upload/"), body)
        if path.startswith("/response/"):
            return self._response_url(path.removeprefix("/response/"), headers, body)
        return 404, b"not_found", {"Content-Type": "text/plain"}

    def enable_oauth(
        self, *, client_id: str, client_secret: str, rotation_seconds: int | None = None
    ) -> OAuthApp:
        """Let workspaces install the app through OAuth (see `oauth.OAuthApp.grant`)."""
        with self._lock:
            self.oauth = OAuthApp(client_id, client_secret, rotation_seconds)
        return self.oauth

    def _api(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        try:
            args = parse_args(query, headers.get("content-type") or "", body)
            bad_request = False
        except ValueError:
            args, bad_request = {}, True
        authorization = headers.get("authorization") or ""
        token = authorization.removeprefix("Bearer ").strip() or optional_text(args, "token")
        args.pop("token", None)
        if self.oauth is not None and method in ("oauth.v2.access", "auth.test"):
            return self._oauth(method, authorization, token, args)

        arrived = self.workspace.clock()
        pause = self._faults.delay_of(method)
        if pause > 0:
            time.sleep(pause)

        with self._lock, self.workspace.call_arrived(arrived):
            extra_headers: dict[str, str] = {}
            status = 200
            implementation = METHODS.get(method)
            if implementation is None:
                reply: dict[str, Any] = {"ok": False, "error": "unknown_method"}
            elif not token:
                reply = {"ok": False, "error": "not_authed"}
            elif not self._token_ok(token):
                reply = {"ok": False, "error": "invalid_auth"}
            elif bad_request:
                reply = {"ok": False, "error": "invalid_json"}
            elif (fault := self._faults.take(method)) is not None:
                status, reply = fault.status, {"ok": False, "error": fault.error}
                if fault.status == 429:
                    extra_headers["Retry-After"] = str(fault.retry_after)
            else:
                try:
                    reply = {"ok": True, **implementation(self.workspace, args)}
                except SlackError as exc:
                    reply = exc.body
            reply = copy.deepcopy(reply)
            self.calls.append(Call(method, copy.deepcopy(args), token, time.time(), status, reply))
        headers_out = {"Content-Type": "application/json; charset=utf-8", **extra_headers}
        return status, json_body(reply), headers_out

    def _oauth(
        self, method: str, authorization: str, token: str | None, args: dict[str, Any]
    ) -> Reply:
        assert self.oauth is not None
        with self._lock:
            if method == "oauth.v2.access":
                reply = self.oauth.access(authorization, args)
            else:
                reply = self.oauth.auth_test(token or "") or {"ok": False, "error": "invalid_auth"}
            self.calls.append(Call(method, copy.deepcopy(args), token, time.time(), 200, reply))
        return 200, json_body(reply), {"Content-Type": "application/json; charset=utf-8"}

    def _token_ok(self, token: str) -> bool:
        if self.oauth is not None:
            known = self.oauth.token_ok(token)
            if known is not None:
                return known
        if self._tokens is None:
            return token.startswith("xoxb-")
        return token in self._tokens

    def _upload(self, file_id: str, body: bytes) -> Reply:
        with self._lock:
            upload = self.workspace.files.get(file_id)
            if upload is None:
                return 404, b"file_not_found", {"Content-Type": "text/plain"}
            upload.content = body
        return 200, f"OK - {len(body)}".encode(), {"Content-Type": "text/plain"}

    def record_acknowledgement(self, response_url: str, body: dict[str, Any]) -> None:
        """A reply the bot put in its HTTP acknowledgement: Slack shows it to the person
        exactly as a post to the command's response_url, so it is recorded as one."""
        url_id = response_url.rsplit("/response/", 1)[-1]
        with self._lock:
            self.responses.append(ResponsePost(url_id, body, 200, time.time()))

    def _response_url(self, url_id: str, headers: Mapping[str, str], body: bytes) -> Reply:
        try:
            payload = parse_args("", headers.get("content-type") or "", body)
        except ValueError:
            payload = {"raw": body.decode("utf-8", "replace")}
        with self._lock:
            status, answer = self.workspace.use_response_url(url_id)
            self.responses.append(ResponsePost(url_id, payload, status, time.time()))
        return status, answer.encode(), {"Content-Type": "text/plain"}
