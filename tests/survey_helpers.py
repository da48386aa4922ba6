"""Shared steps for the survey-link tests: making links through Slack, and a small web
client that sees the page as a browser without scripts does (no redirects followed)."""

from __future__ import annotations

import csv
import io
import re
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from email.message import Message

from bot.core.checklist import Answer
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack

from checklist_helpers import CHECKLIST
from conftest import PUBLIC_URL

_CSRF = re.compile(r'name="csrf" value="([0-9a-f]+)"')


def make_links(slack: SlackDriver, fake: FakeSlack, count: int, *, by: str = "UHOST") -> list[str]:
    """`/psif links N`; the links' tokens, read from the CSV the bot sends by DM."""
    uploads = len(fake.calls_to("files.completeUploadExternal"))
    reply, _, _ = slack.command("/psif", f"links {count}", user=by)
    assert reply.status == 200
    upload = fake.wait_for("files.completeUploadExternal", uploads + 1)[-1]
    file = fake.files[upload.args["files"][0]["id"]]
    rows = list(csv.reader(io.StringIO((file.content or b"").decode("utf-8"))))
    assert rows[0] == ["link"]
    prefix = f"{PUBLIC_URL}/survey/"
    assert all(row[0].startswith(prefix) for row in rows[1:])
    return [row[0].removeprefix(prefix) for row in rows[1:]]


@dataclass(frozen=True)
class WebReply:
    status: int
    headers: Message
    body: str

    @property
    def csrf(self) -> str:
        found = _CSRF.search(self.body)
        assert found, self.body[:500]
        return found.group(1)


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *_args: object, **_kwargs: object) -> None:
        return None


class WebClient:
    """GET and POST to the bot's pages, as one address."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self._opener = urllib.request.build_opener(_NoRedirects)

    def _send(self, request: urllib.request.Request) -> WebReply:
        try:
            with self._opener.open(request, timeout=15) as response:
                return WebReply(response.status, response.headers, response.read().decode())
        except urllib.error.HTTPError as error:
            return WebReply(error.code, error.headers, error.read().decode())

    def get(self, path: str) -> WebReply:
        return self._send(urllib.request.Request(self.base_url + path))

    def post(self, path: str, fields: dict[str, str] | list[tuple[str, str]]) -> WebReply:
        body = urllib.parse.urlencode(fields).encode()
        return self._send(
            urllib.request.Request(
                self.base_url + path,
                data=body,
                headers={"content-type": "application/x-www-form-urlencoded"},
            )
        )


def section_form(
    csrf: str, number: int, pick: Callable[[str], Answer | None], go: str = "next"
) -> dict[str, str]:
    fields = {"csrf": csrf, "section": str(number), "go": go, "strengths": "", "improvements": ""}
    for statement in CHECKLIST.sections[number - 1].statements:
        chosen = pick(statement.id)
        if chosen is not None:
            fields["s" + statement.id.replace(".", "_")] = chosen.value
    return fields


def answer_through_link(
    web: WebClient, token: str, pick: Callable[[str], Answer | None], *, finish: bool = True
) -> WebReply:
    """Save every section through the link, then (by default) send the answers."""
    path = f"/survey/{token}"
    page = web.get(path)
    assert page.status == 200, page.body[:300]
    last = page
    for section in CHECKLIST.sections:
        last = web.post(path, section_form(page.csrf, section.number, pick))
        assert last.status == 303, last.body[:300]
    if finish:
        last = web.post(path, {"csrf": page.csrf, "go": "finish"})
        assert last.status == 303
        assert last.headers["location"] == path + "?page=done"
    return last


def reply_to(slack: SlackDriver, fake: FakeSlack, text: str, *, user: str = "UHOST") -> str:
    """What the bot answers `/psif <text>`."""
    before = len(fake.responses)
    slack.command("/psif", text, user=user)
    body = fake.wait_for_responses(before + 1)[-1].body
    return f"{body.get('text', '')} {body.get('blocks', '')}"
