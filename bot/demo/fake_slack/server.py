"""The fake Slack Web API over HTTP on 127.0.0.1 (`FakeSlack`): it answers as Slack does (token
checks, Block Kit limits, trigger and response_url expiry), records every answer as a `Call`,
and can be made to fail (`fail_next`: 429 with Retry-After, 5xx, `ok: false`) or `delay`."""

from __future__ import annotations

import contextlib
import copy
import json
import threading
import time
import traceback
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, TypeVar
from urllib.parse import parse_qsl, urlsplit

from bot.demo.fake_slack.oauth import OAuthApp
from bot.demo.fake_slack.workspace import METHODS, SlackError, Workspace

# Arguments that slack_sdk (or Slack itself) accepts as JSON-encoded strings in form data.
_JSON_FIELDS = ("blocks", "attachments", "view", "files", "metadata", "user_auth_blocks")
# How often the server's loop looks for a shutdown request: stopping waits up to this long.
_POLL_SECONDS = 0.01
EVERY_METHOD = "*"

Reply = tuple[int, bytes, dict[str, str]]  # status, body, headers
_T = TypeVar("_T")


@dataclass(frozen=True)
class Call:
    method: str
    args: dict[str, Any]  # JSON-string fields (blocks, view, attachments, files…) decoded
    token: str | None
    timestamp: float  # time.time() when answered
    status: int
    response: dict[str, Any]

    @property
    def ok(self) -> bool:
        return bool(self.response.get("ok"))


@dataclass(frozen=True)
class ResponsePost:
    url_id: str
    body: dict[str, Any]
    status: int  # 200, or 404 when the URL was unknown, used up or expired
    timestamp: float


@dataclass(frozen=True)
class _Fault:
    error: str
    status: int
    retry_after: int


def _json(body: Mapping[str, Any]) -> Reply:
    return 200, json.dumps(body).encode(), {"Content-Type": "application/json; charset=utf-8"}


def _plain(status: int, body: bytes) -> Reply:
    return status, body, {"Content-Type": "text/plain"}


def _parse_args(query: str, content_type: str, body: bytes) -> dict[str, Any]:
    """Merge query string and body (JSON or form-encoded); decode JSON-string fields."""
    args: dict[str, Any] = dict(parse_qsl(query, keep_blank_values=True))
    if body and content_type.startswith("application/json"):
        decoded = json.loads(body)
        if not isinstance(decoded, dict):
            raise ValueError("JSON body must be an object")
        args.update(decoded)
    elif body:
        args.update(parse_qsl(body.decode("utf-8"), keep_blank_values=True))
    for key in _JSON_FIELDS:
        value = args.get(key)
        if isinstance(value, str) and value.startswith(("[", "{")):
            with contextlib.suppress(ValueError):
                args[key] = json.loads(value)
    return args


class FakeSlack(Workspace):
    """Serves its workspace; `tokens` are the bot tokens it takes (default: any `xoxb-…`)."""

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        tokens: Iterable[str] | None = None,
        strict_channels: bool = False,
    ) -> None:
        super().__init__(clock=clock, strict_channels=strict_channels)
        self._tokens = None if tokens is None else frozenset(tokens)
        # Set by `enable_oauth`: workspaces install through OAuth, each with its own tokens.
        self.oauth: OAuthApp | None = None
        self._server: _Server | None = None
        self._thread: threading.Thread | None = None
        # What was answered, and faults to inject into later answers, guarded by `lock`.
        self.calls: list[Call] = []
        self.responses: list[ResponsePost] = []
        self._faults: dict[str, deque[_Fault]] = {}
        self._delays: dict[str, float] = {}

    # ---- lifecycle ------------------------------------------------------------------

    def start(self) -> FakeSlack:
        if self._server is None:
            self._server = _Server(self)
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
    def root_url(self) -> str:
        if self._server is None:
            raise RuntimeError("FakeSlack is not started")
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def base_url(self) -> str:  # for WebClient(base_url=...)
        return f"{self.root_url}/api/"

    # ---- what was answered ------------------------------------------------------------

    def calls_to(self, method: str) -> list[Call]:
        with self.lock:
            return [call for call in self.calls if call.method == method]

    def last(self, method: str) -> Call:
        calls = self.calls_to(method)
        if not calls:
            raise AssertionError(f"no call to {method}; calls: {self._called_methods()}")
        return calls[-1]

    def wait_for(self, method: str, count: int = 1, timeout: float = 15.0) -> list[Call]:
        return self._poll(lambda: self.calls_to(method), count, timeout, f"call(s) to {method}")

    def wait_for_responses(self, count: int = 1, timeout: float = 15.0) -> list[ResponsePost]:

        def posts() -> list[ResponsePost]:
            with self.lock:
                return list(self.responses)

        return self._poll(posts, count, timeout, "response_url post(s)")

    def _poll(self, get: Callable[[], list[_T]], count: int, timeout: float, what: str) -> list[_T]:
        deadline = time.monotonic() + timeout
        while len(found := get()) < count:
            if time.monotonic() >= deadline:
                raise AssertionError(
                    f"expected {count} {what} within {timeout}s, got {len(found)}; "
                    f"calls: {self._called_methods()}"
                )
            time.sleep(0.005)
        return found

    def _called_methods(self) -> list[str]:
        with self.lock:
            return [call.method for call in self.calls]

    def reset(self) -> None:
        """Forget recorded calls and response_url posts, pending faults and delays.
        Configuration and Slack-side state (channels, users, messages, views, files) stay."""
        with self.lock:
            for record in (self.calls, self.responses, self._faults, self._delays):
                record.clear()

    # ---- faults -----------------------------------------------------------------------

    def fail_next(
        self,
        method: str,
        error: str = "ratelimited",
        *,
        status: int | None = None,
        retry_after: int = 1,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls to `method` with `error`: with HTTP `status`, by default
        429 (and Retry-After) for `ratelimited`, else 200."""
        fault = _Fault(error, status or (429 if error == "ratelimited" else 200), retry_after)
        with self.lock:
            self._faults.setdefault(method, deque()).extend([fault] * times)

    def delay(self, method: str, seconds: float) -> None:
        """Answer later calls to `method` (`"*"`: any other) after `seconds` (0 to stop)."""
        with self.lock:
            self._delays[method] = seconds

    # ---- OAuth ------------------------------------------------------------------------

    def enable_oauth(
        self, *, client_id: str, client_secret: str, rotation_seconds: int | None = None
    ) -> OAuthApp:
        with self.lock:
            self.oauth = OAuthApp(client_id, client_secret, rotation_seconds)
        return self.oauth

    # ---- answering HTTP -----------------------------------------------------------------

    def handle(self, path: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        """Answer one HTTP request (`headers` with lower-case names)."""
        kind, _, rest = path.removeprefix("/").partition("/")
        if kind == "api":
            return self._api(rest, query, headers, body)
        if kind == "response":
            return self._response_url(rest, headers, body)
        with self.lock:
            found = self.files.get(rest) if kind in ("upload", "download") else None
            if kind == "upload" and found is not None:
                found.content = body
                return _plain(200, f"OK - {len(body)}".encode())
            token = (headers.get("authorization") or "").removeprefix("Bearer ").strip()
            if kind == "download" and found and found.content is not None and self._token_ok(token):
                return 200, found.content, {"Content-Type": "application/octet-stream"}
        return _plain(404, b"file_not_found" if kind == "upload" else b"not_found")

    def _api(self, method: str, query: str, headers: Mapping[str, str], body: bytes) -> Reply:
        try:
            args = _parse_args(query, headers.get("content-type") or "", body)
            bad_request = False
        except ValueError:
            args, bad_request = {}, True
        authorization = headers.get("authorization") or ""
        given = args.pop("token", None)
        token = authorization.removeprefix("Bearer ").strip() or (str(given) if given else None)
        if self.oauth is not None and method in ("oauth.v2.access", "auth.test"):
            with self.lock:
                if method == "oauth.v2.access":
                    reply = self.oauth.access(authorization, args)
                else:
                    invalid = {"ok": False, "error": "invalid_auth"}
                    reply = self.oauth.auth_test(token or "") or invalid
                self.calls.append(Call(method, copy.deepcopy(args), token, time.time(), 200, reply))
            return _json(reply)

        arrived = self.clock()
        with self.lock:
            pause = self._delays.get(method, self._delays.get(EVERY_METHOD, 0.0))
        if pause > 0:
            time.sleep(pause)

        with self.lock:
            self.arrived_at = arrived
            status, extra_headers = 200, {}
            implementation = METHODS.get(method)
            pending = self._faults.get(method)
            if implementation is None:
                reply = {"ok": False, "error": "unknown_method"}
            elif not token:
                reply = {"ok": False, "error": "not_authed"}
            elif not self._token_ok(token):
                reply = {"ok": False, "error": "invalid_auth"}
            elif bad_request:
                reply = {"ok": False, "error": "invalid_json"}
            elif pending:
                fault = pending.popleft()
                status, reply = fault.status, {"ok": False, "error": fault.error}
                if fault.status == 429:
                    extra_headers["Retry-After"] = str(fault.retry_after)
            else:
                try:
                    reply = {"ok": True, **implementation(self, args)}
                except SlackError as exc:
                    reply = exc.body
            reply = copy.deepcopy(reply)
            self.calls.append(Call(method, copy.deepcopy(args), token, time.time(), status, reply))
        _, body_out, headers_out = _json(reply)
        return status, body_out, headers_out | extra_headers

    def _token_ok(self, token: str) -> bool:
        known = None if self.oauth is None else self.oauth.token_ok(token)
        if known is not None:
            return known
        return token.startswith("xoxb-") if self._tokens is None else token in self._tokens

    def record_acknowledgement(self, response_url: str, body: dict[str, Any]) -> None:
        """A reply in the bot's HTTP acknowledgement: Slack shows it as a response_url post."""
        url_id = response_url.rsplit("/response/", 1)[-1]
        with self.lock:
            self.responses.append(ResponsePost(url_id, body, 200, time.time()))

    def _response_url(self, url_id: str, headers: Mapping[str, str], body: bytes) -> Reply:
        try:
            payload = _parse_args("", headers.get("content-type") or "", body)
        except ValueError:
            payload = {"raw": body.decode("utf-8", "replace")}
        with self.lock:
            status, answer = self.use_response_url(url_id)
            self.responses.append(ResponsePost(url_id, payload, status, time.time()))
        return _plain(status, answer.encode())


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # like Slack, take a burst of calls without refusing any

    def __init__(self, fake: FakeSlack) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.fake = fake


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def do_POST(self) -> None:
        self._dispatch()

    def do_GET(self) -> None:
        self._dispatch()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # keep test output quiet

    def _dispatch(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        url = urlsplit(self.path)
        try:
            request_headers = {name.lower(): value for name, value in self.headers.items()}
            status, payload, headers = self.server.fake.handle(
                url.path, url.query, request_headers, body
            )
        except Exception:  # a bug in the fake: make it visible to the client and the test
            error = {"error": "fake_slack_crashed", "traceback": traceback.format_exc()}
            _, payload, headers = _json({"ok": False, **error})
            status = 500
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)
