"""Clicks and form submissions as data. A `Route` names its ids, calls one service with what
it reads from the payload, and says how to answer; `register` walks the tables with one
listener shape: parse, call, acknowledge, answer. The service runs before the
acknowledgement, so an acknowledged press is saved; a `Refusal` or an unreadable payload
raised anywhere is answered by the one error handler (`handlers/errors.py`)."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from functools import partial
from typing import Any, TypedDict, TypeVar

from slack_bolt import Ack, App
from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack.after_ack import Asker
from bot.slack.payloads import Metadata, action_value, record_id, submission_key

M = TypeVar("M", bound=Metadata)


class Who(TypedDict):
    """Who acted, and where to answer them: what most services are given."""

    user_id: str
    response_url: str | None


class Submitter(TypedDict):
    """Who submitted a form, and the key that saves it once however often it is redelivered."""

    user_id: str
    request_key: str | None


@dataclass(frozen=True)
class Request:
    """A click or a submission, as its route reads it."""

    deps: Deps
    body: dict[str, Any]
    asker: Asker

    @property
    def client(self) -> WebClient:
        return self.asker.client

    @property
    def user_id(self) -> str:
        return str(self.body["user"]["id"])

    @property
    def response_url(self) -> str | None:
        return self.body.get("response_url")

    @property
    def who(self) -> Who:
        return Who(user_id=self.user_id, response_url=self.response_url)

    @property
    def submitter(self) -> Submitter:
        return Submitter(user_id=self.user_id, request_key=submission_key(self.view))

    @property
    def channel_id(self) -> str:
        return str((self.body.get("channel") or {}).get("id") or "")

    @property
    def action(self) -> dict[str, Any]:
        return dict(self.body["actions"][0])

    @property
    def value(self) -> object:
        return action_value(self.action)

    @property
    def record(self) -> int:
        """The id the clicked button carries."""
        return record_id(self.value)

    @property
    def view(self) -> dict[str, Any]:
        return dict(self.body["view"])

    @property
    def values(self) -> dict[str, Any]:
        return dict(self.view["state"]["values"])

    def metadata(self, kind: type[M]) -> M:
        return kind.load(self.view.get("private_metadata"))


Answer = Callable[[Request, Any], object]  # what it returns, if a dict, is the ack's body


def nothing(r: Request, result: object) -> None:
    """The service has answered (or owes the answer) itself; a form just closes."""


def tell(r: Request, answer: str | tuple[str, Any], *, replace: bool = False) -> None:
    """Text, or (text, blocks), where they acted; `replace`: in place of the message they
    clicked in."""
    text, blocks = (answer, None) if isinstance(answer, str) else answer
    r.asker.tell(text, blocks=blocks, replace=replace)


replace = partial(tell, replace=True)


def open_modal(r: Request, view: dict[str, Any]) -> None:
    r.asker.open_modal(view)


def update(r: Request, view: dict[str, Any]) -> dict[str, Any]:
    """The submitted modal becomes `view`."""
    return {"response_action": "update", "view": view}


def said(text: str) -> Callable[[Request], str]:
    """A button that only answers (Cancel)."""
    return lambda r: text


@dataclass(frozen=True)
class Route:
    """`call` the service with the request and `answer` what it returns. `later`: `call`
    reads the payload now and returns the service call to make once acknowledged, on the
    after-ack pool (it asks Slack, or takes a while)."""

    ids: str | tuple[str, ...]
    call: Callable[[Request], Any]
    answer: Answer = nothing
    later: bool = False


def listener(deps: Deps, route: Route) -> Callable[..., None]:
    def handle(ack: Ack, body: dict[str, Any], client: WebClient) -> None:
        r = Request(deps, body, Asker.of(deps, body, client))
        if route.later:
            work = route.call(r)
            ack()
            r.asker.later(lambda: route.answer(r, work()))
        else:
            answer = route.answer(r, route.call(r))
            ack(**(answer if isinstance(answer, dict) else {}))

    return handle


def register(app: App, deps: Deps, *, clicks: Iterable[Route], forms: Iterable[Route]) -> None:
    for on, routes in ((app.action, clicks), (app.view, forms)):
        for route in routes:
            handle = listener(deps, route)
            for callback_id in (route.ids,) if isinstance(route.ids, str) else route.ids:
                on(callback_id)(handle)
