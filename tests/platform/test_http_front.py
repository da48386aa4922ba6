"""The HTTP front (bot/web.py): clients that stall or send too much can't hold up Slack's
requests, and only Slack's endpoint, the health check and the install pages answer."""

from __future__ import annotations

import json
import socket
import urllib.parse
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager

import pytest

from bot.app import create_app
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.settings import Settings
from bot.web import MAX_BODY_BYTES, create_asgi_app

from conftest import RunningBot

STALLED = 200
FORM = "application/x-www-form-urlencoded"


def address(url: str) -> tuple[str, int]:
    parts = urllib.parse.urlsplit(url)
    assert parts.hostname is not None and parts.port is not None
    return parts.hostname, parts.port


def request_head(content_length: int, *, expect_continue: bool = False) -> bytes:
    lines = [
        "POST /slack/events HTTP/1.1",
        "Host: 127.0.0.1",
        f"Content-Type: {FORM}",
        f"Content-Length: {content_length}",
        *(["Expect: 100-continue"] if expect_continue else []),
    ]
    return ("\r\n".join(lines) + "\r\n\r\n").encode()


def read_until_closed(connection: socket.socket) -> bytes:
    received = b""
    while chunk := connection.recv(65536):
        received += chunk
    return received


@contextmanager
def stalled_connections(url: str, count: int) -> Iterator[list[socket.socket]]:
    """`count` clients that send the headers of a 500,000-byte body, 3 bytes of it, then
    nothing. Each also asks for "100 Continue", which the server sends only when it starts
    waiting for that body: so all of them are known to be held open before this yields."""
    with ExitStack() as stack:
        connections = []
        for _ in range(count):
            connection = stack.enter_context(socket.create_connection(address(url), timeout=10))
            connection.sendall(request_head(500_000, expect_continue=True))
            connections.append(connection)
        for connection in connections:
            assert connection.recv(100).startswith(b"HTTP/1.1 100 ")
            connection.sendall(b"abc")
        yield connections


def test_200_stalled_connections_hold_up_neither_a_signed_command_nor_the_health_check(
    bot: RunningBot, slack: SlackDriver
) -> None:
    with stalled_connections(bot.url, STALLED):
        for _ in range(3):
            reply, _, _ = slack.command("/psif", "status")
            assert reply.status == 200 and reply.json()["text"], reply.body
            assert reply.elapsed < 1.0, reply.elapsed
            with socket.create_connection(address(bot.url), timeout=1) as health:
                health.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                answer = read_until_closed(health)
            assert answer.startswith(b"HTTP/1.1 200 ")
            assert json.loads(answer.split(b"\r\n\r\n", 1)[1]) == {
                "status": "ok",
                "database": "ok",
            }


def test_a_body_that_does_not_arrive_in_time_is_dropped(
    settings: Settings, deps: Deps, fake_slack: FakeSlack
) -> None:
    front = create_asgi_app(create_app(settings, deps), deps, body_seconds=0.2)
    with serve_in_background(front) as url, stalled_connections(url, 3) as connections:
        for connection in connections:
            assert read_until_closed(connection).startswith(b"HTTP/1.1 408 ")
    assert (fake_slack.calls, fake_slack.responses) == ([], [])


def test_a_content_length_over_the_limit_is_refused_before_any_body_is_sent(
    bot: RunningBot, fake_slack: FakeSlack
) -> None:
    with socket.create_connection(address(bot.url), timeout=10) as connection:
        connection.sendall(request_head(MAX_BODY_BYTES + 1))  # and not a byte of body
        answer = read_until_closed(connection)
    assert answer.startswith(b"HTTP/1.1 413 ")
    assert (fake_slack.calls, fake_slack.responses) == ([], [])


def test_a_post_without_a_content_length_is_refused(bot: RunningBot) -> None:
    with socket.create_connection(address(bot.url), timeout=10) as connection:
        connection.sendall(
            b"POST /slack/events HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
            b"3\r\nabc\r\n0\r\n\r\n"
        )
        assert read_until_closed(connection).startswith(b"HTTP/1.1 411 ")


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/slack/events"),
        ("POST", "/healthz"),
        ("GET", "/slack/install"),  # only with OAuth
        ("GET", "/"),
        ("PUT", "/anything"),
    ],
)
def test_anything_but_the_endpoints_is_not_found(bot: RunningBot, method: str, path: str) -> None:
    with socket.create_connection(address(bot.url), timeout=10) as connection:
        head = f"{method} {path} HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\nConnection: close"
        connection.sendall(f"{head}\r\n\r\n".encode())
        answer = read_until_closed(connection)
    assert answer.startswith(b"HTTP/1.1 404 ")
    assert json.loads(answer.split(b"\r\n\r\n", 1)[1]) == {"error": "not found"}


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"\xff\xfe payload", FORM),  # not UTF-8
        (b"payload=%7B", FORM),  # not JSON
        (b"payload=%5B1%5D", FORM),  # JSON, but not an object
        (b"[1]", "application/json"),
    ],
)
def test_a_body_bolt_cannot_read_is_refused_unread(
    bot: RunningBot, slack: SlackDriver, fake_slack: FakeSlack, body: bytes, content_type: str
) -> None:
    assert slack.post(body, content_type).status == 400
    assert (fake_slack.calls, fake_slack.responses) == ([], [])
