"""The one error handler answers what a listener raises, so listeners need no try/except.

A small Bolt app with the bot's own verification, replay check and error handler, and
listeners that raise, served as `psif-bot serve` serves the real one.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from slack_bolt import Ack, App

from bot.app import outbox_worker
from bot.core.errors import FormErrors, NoReviewHere, Refusal
from bot.demo.driver import SlackDriver
from bot.demo.fake_slack import FakeSlack
from bot.demo.serving import serve_in_background
from bot.deps import Deps
from bot.settings import Settings
from bot.slack.authorization import authorization
from bot.slack.client import new_client
from bot.slack.replay import ReplayCheck
from bot.web import create_asgi_app
from handlers import errors

from conftest import SIGNING_SECRET

NOT_YOURS = "Only the host lead can do that, so nothing was changed."
NO_REVIEW = "There's no PSIF review open in this channel yet."
MESSAGE = {
    "ts": "1700000000.000100",
    "text": "A card",
    "blocks": [
        {
            "type": "actions",
            "block_id": "card",
            "elements": [
                {
                    "type": "button",
                    "action_id": action,
                    "text": {"type": "plain_text", "text": "Go"},
                }
                for action in ("refuse", "no_review")
            ],
        }
    ],
}


def form(callback_id: str) -> dict[str, Any]:
    return {
        "id": "VFORM",
        "type": "modal",
        "callback_id": callback_id,
        "title": {"type": "plain_text", "text": "A form"},
        "blocks": [
            {
                "type": "input",
                "block_id": "title",
                "label": {"type": "plain_text", "text": "Title"},
                "element": {"type": "plain_text_input", "action_id": "title"},
            }
        ],
    }


@pytest.fixture
def raising(settings: Settings, deps: Deps, fake_slack: FakeSlack) -> Iterator[SlackDriver]:
    secret = settings.slack_signing_secret.get_secret_value()
    app = App(
        signing_secret=secret,
        before_authorize=ReplayCheck(signing_secret=secret, sessions=deps.sessions),
        client=new_client(token=None, base_url=settings.slack_api_url),
        authorize=authorization(settings, None),
        token_verification_enabled=False,
        process_before_response=True,
    )

    @app.action("refuse")
    def refuse_after_acknowledging(ack: Ack) -> None:
        ack()
        raise Refusal(NOT_YOURS)

    @app.action("no_review")
    def find_no_review(ack: Ack) -> None:
        raise NoReviewHere(NO_REVIEW)

    @app.view("refuse")
    def refuse_a_form(ack: Ack) -> None:
        raise Refusal(NOT_YOURS)

    @app.view("form_errors")
    def find_mistakes(ack: Ack) -> None:
        raise FormErrors({"title": "Give it a shorter title."})

    errors.register(app, deps)
    with outbox_worker(deps), serve_in_background(create_asgi_app(app, deps)) as url:
        yield SlackDriver(url, SIGNING_SECRET, fake_slack)


@pytest.mark.parametrize(("action", "said"), [("refuse", NOT_YOURS), ("no_review", NO_REVIEW)])
def test_a_refusal_from_a_click_is_told_to_the_person_where_they_clicked(
    raising: SlackDriver, fake_slack: FakeSlack, action: str, said: str
) -> None:
    url = fake_slack.new_response_url()
    reply = raising.click_in_message(
        MESSAGE, action, user="UHOST", channel="CREVIEW", response_url=url, ephemeral=False
    )
    assert (reply.status, reply.body) == (200, b"")
    answer = fake_slack.wait_for_responses()[-1]
    assert (answer.body["response_type"], answer.body["text"]) == ("ephemeral", said)


def test_a_refusal_from_a_form_keeps_it_open_with_the_reason_on_its_first_field(
    raising: SlackDriver, fake_slack: FakeSlack
) -> None:
    reply = raising.submit_view(form("refuse"), {"title": "Mine"}, user="UHOST")
    assert reply.json() == {"response_action": "errors", "errors": {"title": NOT_YOURS}}
    assert (fake_slack.calls, fake_slack.responses) == ([], [])


def test_form_errors_are_shown_beside_their_fields(
    raising: SlackDriver, fake_slack: FakeSlack
) -> None:
    reply = raising.submit_view(form("form_errors"), {"title": "x" * 300}, user="UHOST")
    assert reply.json() == {
        "response_action": "errors",
        "errors": {"title": "Give it a shorter title."},
    }
    assert (fake_slack.calls, fake_slack.responses) == ([], [])
