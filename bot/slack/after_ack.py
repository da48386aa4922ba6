"""What a request does with Slack, none of it before its acknowledgement.

Listeners return the ack on the request's thread (`process_before_response`), so they never
call Slack: effects are owed through the outbox (`Asker.tell`). What can't wait for it runs
on `Deps.after_ack` once acknowledged: opening or updating a modal (useful only while the
person looks), asking Slack before deciding, and the self-assessment's unrecorded answers.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

from slack_sdk import WebClient

from bot.core.errors import Refusal
from bot.deps import Deps
from bot.slack.calls import answer_user, open_view
from bot.slack.failures import answer_if_unreachable
from bot.slack.outbox import owe_answers
from bot.slack.payloads import team_id_of
from bot.slack.text import escape_mrkdwn
from storage.db import transaction

logger = logging.getLogger(__name__)

TOO_SLOW = "Slack took too long to open the form. Please try again."

Answer = tuple[str, list[dict[str, Any]] | None]  # text, and blocks if any


def went_wrong(error: BaseException) -> str:
    """Log an unexpected error with a reference; what to tell the person."""
    reference = secrets.token_hex(3).upper()
    logger.error("unhandled error, reference %s", reference, exc_info=error)
    return (
        "Sorry, something went wrong on my side, so that last step didn't go through. "
        f"Please try again; if it keeps happening, give the reference {reference} "
        "to whoever looks after the PSIF bot."
    )


@dataclass(frozen=True)
class Asker:
    """Who made a request, and how to answer them (ephemerally where they acted, else DM)."""

    deps: Deps
    client: WebClient
    team_id: str
    user_id: str
    response_url: str | None = None
    trigger_id: str | None = None

    @classmethod
    def of(cls, deps: Deps, body: dict[str, Any], client: WebClient) -> Asker:
        user = body.get("user") or {}
        response_url = body.get("response_url") or next(
            (url.get("response_url") for url in body.get("response_urls") or []), None
        )
        return cls(
            deps=deps,
            client=client,
            team_id=team_id_of(body),
            user_id=str(body.get("user_id") or user.get("id") or ""),
            response_url=response_url or None,
            trigger_id=body.get("trigger_id") or None,
        )

    def tell(
        self, text: str, *, blocks: list[dict[str, Any]] | None = None, replace: bool = False
    ) -> None:
        """Owe them an answer (`replace`: in place of the message they clicked in)."""
        self.tell_each([(text, blocks)], replace=replace)

    def tell_each(self, answers: Sequence[Answer], *, replace: bool = False) -> None:
        with transaction(self.deps.sessions) as session:
            owe_answers(
                session,
                team_id=self.team_id,
                user_id=self.user_id,
                response_url=self.response_url,
                answers=answers,
                replace_original=replace,
            )

    def tell_unrecorded(self, text: str) -> None:
        """Answer straight from Slack, leaving no record they acted; only from `later`."""
        answer_user(self.client, user_id=self.user_id, response_url=self.response_url, text=text)

    def open_modal(
        self, view: dict[str, Any], *, typed: str = "", unrecorded: bool = False
    ) -> None:
        """Open `view` once acknowledged; if the trigger expired, tell them TOO_SLOW with
        what they `typed`."""
        trigger_id = self.trigger_id or ""
        tell = self.tell_unrecorded if unrecorded else self.tell
        too_slow = TOO_SLOW + (f" What you typed:\n```{escape_mrkdwn(typed)}```" if typed else "")
        self.later(
            lambda: open_view(
                self.client, trigger_id=trigger_id, view=view, on_expired=lambda: tell(too_slow)
            ),
            unrecorded=unrecorded,
        )

    def later(self, work: Callable[[], object], *, unrecorded: bool = False) -> None:
        """Run `work` on the after-ack pool, telling them of a `Refusal` or any failure."""

        def run() -> None:
            try:
                work()
                return
            except Refusal as refusal:
                answer = refusal.message
            except Exception as error:
                answer = answer_if_unreachable(error, self.client.base_url) or went_wrong(error)
            try:
                (self.tell_unrecorded if unrecorded else self.tell)(answer)
            except Exception:  # the database is down too: the log is all that is left
                logger.exception("could not owe an answer to a request's author")

        self.deps.after_ack.submit(run)
