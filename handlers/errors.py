"""One error handler: log the traceback with a reference, tell the user something useful."""

from __future__ import annotations

import json
import logging
import secrets
from typing import Any

from slack_bolt import App, BoltResponse
from slack_sdk import WebClient
from slack_sdk.webhook import WebhookClient

from bot.deps import Deps
from bot.slack.calls import direct_message


def _first_input_block(body: dict[str, Any]) -> str | None:
    blocks = (body.get("view") or {}).get("blocks") or []
    return next((b["block_id"] for b in blocks if b.get("type") == "input"), None)


def register(app: App, deps: Deps) -> None:
    @app.error
    def handle_unexpected_error(
        error: Exception,
        body: dict[str, Any],
        logger: logging.Logger,
        client: WebClient,
        response: BoltResponse | None,
    ) -> BoltResponse | None:
        reference = secrets.token_hex(3).upper()
        logger.error("unhandled error, reference %s", reference, exc_info=error)
        message = (
            "Sorry, something went wrong on my side, so that last step didn't go through. "
            f"Please try again; if it keeps happening, give the reference {reference} "
            "to whoever looks after the PSIF bot."
        )
        # Not yet acknowledged: a modal can stay open with the message, keeping what was typed.
        block_id = _first_input_block(body)
        if response is not None and body.get("type") == "view_submission" and block_id:
            return BoltResponse(
                status=200,
                body=json.dumps({"response_action": "errors", "errors": {block_id: message}}),
                headers={"content-type": "application/json"},
            )
        response_url = body.get("response_url") or next(
            (url.get("response_url") for url in body.get("response_urls", [])), None
        )
        user_id = body.get("user_id") or (body.get("user") or {}).get("id")
        if response_url:
            WebhookClient(response_url).send(
                text=message, response_type="ephemeral", replace_original=False
            )
        elif user_id:
            direct_message(client, user=user_id, text=message)
        return None
