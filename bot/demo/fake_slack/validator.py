"""What Slack checks on a message or a view before taking it.

`validate_blocks` and `validate_view` check payloads the way Slack does and report
Slack-style messages (``<problem> [json-pointer:<path>]``); they work directly on the bot's
builders' output too. `check_message` and `check_view` raise the `SlackError` a Web API
method answers with.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Literal

from bot.demo.fake_slack.block_kit_checker import BlockKitChecker
from bot.demo.fake_slack.slack_error import SlackError, invalid

Surface = Literal["message", "modal", "home"]

VIEW_MAX_BYTES = 250_000
MESSAGE_TEXT_LIMIT = 40_000


def check_message(args: Mapping[str, Any]) -> None:
    """Raise what Slack answers to a message with no text, too much text or bad blocks."""
    text, blocks = args.get("text"), args.get("blocks")
    if not text and not blocks and not args.get("attachments"):
        raise SlackError("no_text")
    if isinstance(text, str) and len(text) > MESSAGE_TEXT_LIMIT:
        raise SlackError("msg_too_long")
    if blocks is not None:
        errors = validate_blocks(blocks, "message")
        if errors:
            raise invalid(errors, "invalid_blocks")


def check_view(view: Any, surface: Literal["modal", "home"]) -> dict[str, Any]:
    """The view if Slack would take it; otherwise raise Slack's answer."""
    errors = validate_view(view, surface)
    if errors:
        raise invalid(errors)
    assert isinstance(view, dict)  # validate_view reported anything else
    if len(json.dumps(view)) > VIEW_MAX_BYTES:
        raise SlackError("view_too_large")
    return view


def validate_blocks(blocks: Any, surface: Surface) -> list[str]:
    """Check ``blocks`` against Slack's Block Kit limits for ``surface``.

    Returns Slack-style messages such as
    ``"no more than 50 items allowed [json-pointer:/blocks]"``; empty when valid.
    Messages take at most 50 blocks (pointer ``/blocks``), modals and the Home tab 100
    (pointer ``/view/blocks``).
    """
    checker = BlockKitChecker()
    if surface == "message":
        checker.blocks(blocks, "/blocks", 50)
    else:
        checker.blocks(blocks, "/view/blocks", 100)
    return checker.errors


def validate_view(view: Any, surface: Literal["modal", "home"]) -> list[str]:
    """Check a modal or Home tab view payload (view fields and its blocks) like Slack does."""
    checker = BlockKitChecker()
    if not isinstance(view, dict):
        checker.fail("/view", "must be an object")
        return checker.errors
    if view.get("type") != surface:
        checker.fail("/view/type", f"must be {surface!r}")
    if surface == "modal":
        checker.text(view.get("title"), "/view/title", 24, plain=True)
        checker.text(view.get("submit"), "/view/submit", 24, plain=True, required=False)
        checker.text(view.get("close"), "/view/close", 24, plain=True, required=False)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(block, dict) and block.get("type") == "input" for block in blocks
        )
        if has_input and view.get("submit") is None:
            checker.fail("/view/submit", "submit is required when the view has an input block")
    checker.string(view.get("private_metadata"), "/view/private_metadata", 3000)
    checker.string(view.get("callback_id"), "/view/callback_id", 255)
    checker.string(view.get("external_id"), "/view/external_id", 255)
    return checker.errors + validate_blocks(view.get("blocks"), surface)
