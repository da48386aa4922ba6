"""Shared steps for the fuzz tests: a bot with one listener thread, and the checks made
after every fuzzed request (no server error, no apology, no live markup echoed)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from bot.deps import Deps
from storage.db import transaction
from storage.schema import metadata

from fake_slack import FakeSlack
from helpers import wait_until_delivered
from hostile_text import live_markup

APOLOGY = "went wrong"
# Mentions the bot writes of people and channels from pickers; forged ones say EVIL.
PICKED = re.compile(r"<@U(?!EVIL)[A-Z0-9]+>|<#C(?!EVIL)[A-Z0-9]+>|<!date\^\d+\^[^|<>]*\|[^<>]*>")


def slack_escaped(text: str) -> str:
    """Command text as Slack sends it: &, < and > escaped (mentions arrive as markup)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def row_counts(deps: Deps) -> dict[str, int]:
    """Rows per table, leaving out the replay check's own record of requests."""
    with transaction(deps.sessions) as session:
        return {
            table.name: session.scalar(select(func.count()).select_from(table)) or 0
            for table in metadata.sorted_tables
            if table.name != "seen_requests"
        }


@dataclass
class Traffic:
    """Where the fake Slack's records stood before a fuzzed request."""

    calls: int
    responses: int

    @classmethod
    def mark(cls, fake: FakeSlack) -> Traffic:
        return cls(len(fake.calls), len(fake.responses))

    def since(self, fake: FakeSlack) -> list[Any]:
        """What the bot sent since the mark: response_url bodies and Web API arguments."""
        return [
            *(post.body for post in fake.responses[self.responses :]),
            *(call.args for call in fake.calls[self.calls :]),
        ]


def settle(deps: Deps) -> None:
    """Wait until the requests sent so far have done everything: each listener has finished
    when its request is answered; with one after-ack thread, what they left for after their
    acknowledgement has finished once a later task on that thread has run; then the outbox
    delivers what they owed Slack."""
    deps.after_ack.submit(lambda: None).result(timeout=10)
    wait_until_delivered(deps)


def assert_no_error_and_nothing_live(sent: list[Any]) -> None:
    for body in sent:
        assert APOLOGY not in str(body), body
        assert live_markup(body, PICKED) == [], body
