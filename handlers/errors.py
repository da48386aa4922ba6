"""The one error handler, so no listener needs a try/except: a `Refusal`'s message, a
modal's `FormErrors` beside its fields, OUT_OF_DATE for an `UnreadablePayload`, and anything
else logged with a reference. It acts only on requests let in (else 401) and calls no Slack
method: answers go in the acknowledgement or through the outbox.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.core.errors import FormErrors, Refusal
from bot.deps import Deps
from bot.slack import ids
from bot.slack.after_ack import Asker, went_wrong
from bot.slack.blocks import modal, section
from bot.slack.payloads import OUT_OF_DATE, UnreadablePayload
from bot.slack.replay import was_let_in

logger = logging.getLogger(__name__)

INTERACTIVE = frozenset({"block_actions", "view_submission"})


def modal_answer(body: dict[str, Any], message: str) -> dict[str, Any]:
    """Keep the modal open with the message on its first input (none: a notice instead)."""
    blocks = (body.get("view") or {}).get("blocks") or []
    inputs = [b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("type") == "input"]
    if inputs and inputs[0]:
        return {"response_action": "errors", "errors": {inputs[0]: message}}
    notice = modal(
        title="Nothing changed",
        blocks=[section(message)],
        callback_id=ids.NOTICE_MODAL,
        close="Close",
    )
    return {"response_action": "update", "view": notice}


def tell(deps: Deps, client: WebClient, body: dict[str, Any], message: str) -> None:
    """Owe the person who acted an answer through the outbox."""
    asker = Asker.of(deps, body, client)
    if not asker.user_id:
        return
    try:
        asker.tell(message)
    except Exception:  # the database is down: answer straight from Slack, once acknowledged
        logger.exception("could not owe the error's answer")
        asker.later(lambda: asker.tell_unrecorded(message))


def _acknowledge(answer: dict[str, Any]) -> BoltResponse:
    return BoltResponse(
        status=200, body=json.dumps(answer), headers={"content-type": "application/json"}
    )


def register(app: App, deps: Deps) -> None:
    @app.error
    def handle_error(
        error: Exception,
        body: dict[str, Any],
        context: BoltContext,
        logger: logging.Logger,
        client: WebClient,
        response: BoltResponse | None,
    ) -> BoltResponse | None:
        if not was_let_in(context):
            logger.warning("error on a request that was not let in: not answering it")
            return BoltResponse(status=401, body="") if response is not None else None
        submission = response is not None and body.get("type") == "view_submission"
        if isinstance(error, FormErrors) and submission:
            return _acknowledge({"response_action": "errors", "errors": error.errors})
        if isinstance(error, Refusal):
            message = error.message
        elif isinstance(error, UnreadablePayload):
            logger.info("refused a payload the bot didn't send: %s", error)
            message = OUT_OF_DATE
        elif isinstance(error, FormErrors):  # a form's fields, outside a submission
            message = " ".join(error.errors.values())
        else:
            message = went_wrong(error)
        # Not yet acknowledged: a command or a modal gets its answer in the acknowledgement.
        if submission:
            return _acknowledge(modal_answer(body, message))
        if response is not None and "command" in body:
            return _acknowledge({"response_type": "ephemeral", "text": message})
        tell(deps, client, body, message)
        if response is not None and body.get("type") in INTERACTIVE:
            return BoltResponse(status=200, body="")  # answered above: acknowledge
        return None
