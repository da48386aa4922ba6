"""One error handler: log the traceback with a reference, tell the user something useful.

It acts only on requests let in (Bolt verified the signature, the replay check passed them):
an error raised before that, such as Bolt's own verification failing on a malformed
timestamp, is answered 401 with nothing sent anywhere. A payload value the bot didn't send
(UnreadablePayload) gets OUT_OF_DATE.
"""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

from slack_bolt import App, BoltContext, BoltResponse
from slack_sdk import WebClient

from bot.deps import Deps
from bot.slack import ids
from bot.slack.blocks import modal, section
from bot.slack.calls import answer_user
from bot.slack.payloads import OUT_OF_DATE, UnreadablePayload
from bot.slack.replay import was_let_in

INTERACTIVE = frozenset({"block_actions", "view_submission"})


def _first_input_block(body: dict[str, Any]) -> str | None:
    blocks = (body.get("view") or {}).get("blocks") or []
    return next(
        (b.get("block_id") for b in blocks if isinstance(b, dict) and b.get("type") == "input"),
        None,
    )


def modal_answer(body: dict[str, Any], message: str) -> dict[str, Any]:
    """The acknowledgement of a modal's submission that keeps it open with the message on
    its first input, so nothing typed is lost; a modal without inputs becomes a notice."""
    block_id = _first_input_block(body)
    return (
        {"response_action": "errors", "errors": {block_id: message}}
        if block_id
        else {
            "response_action": "update",
            "view": modal(
                title="Nothing changed",
                blocks=[section(message)],
                callback_id=ids.NOTICE_MODAL,
                close="Close",
            ),
        }
    )


def tell(client: WebClient, body: dict[str, Any], message: str) -> None:
    """Tell the person who acted: ephemerally where they acted, or by direct message."""
    response_url = body.get("response_url") or next(
        (url.get("response_url") for url in body.get("response_urls") or []), None
    )
    user_id = body.get("user_id") or (body.get("user") or {}).get("id")
    if user_id:
        answer_user(client, user_id=str(user_id), response_url=response_url, text=message)


def register(app: App, deps: Deps) -> None:
    @app.error
    def handle_unexpected_error(
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
        if isinstance(error, UnreadablePayload):
            logger.info("refused a payload the bot didn't send: %s", error)
            message = OUT_OF_DATE
        else:
            reference = secrets.token_hex(3).upper()
            logger.error("unhandled error, reference %s", reference, exc_info=error)
            message = (
                "Sorry, something went wrong on my side, so that last step didn't go through. "
                f"Please try again; if it keeps happening, give the reference {reference} "
                "to whoever looks after the PSIF bot."
            )
        # Not yet acknowledged: a modal gets its answer in the acknowledgement.
        if response is not None and body.get("type") == "view_submission":
            return BoltResponse(
                status=200,
                body=json.dumps(modal_answer(body, message)),
                headers={"content-type": "application/json"},
            )
        tell(client, body, message)
        interactive = body.get("type") in INTERACTIVE or "command" in body
        if response is not None and interactive:
            return BoltResponse(status=200, body="")  # answered above: acknowledge
        return None
