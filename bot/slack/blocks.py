"""Small pure helpers that build Block Kit dicts, cutting text to Slack's limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.slack.text import truncate

Block = dict[str, Any]


@dataclass(frozen=True)
class Message:
    text: str
    blocks: list[Block]


SECTION_TEXT_LIMIT = 3000
HEADER_LIMIT = 150
BUTTON_TEXT_LIMIT = 75
OPTION_TEXT_LIMIT = 75
CONTEXT_ELEMENTS_LIMIT = 10
MESSAGE_BLOCKS_LIMIT = 50
VIEW_BLOCKS_LIMIT = 100
VIEW_TITLE_LIMIT = 24
PLAIN_TEXT_INPUT_LIMIT = 3000  # the largest max_length a plain_text_input may have


def _with(block: Block, **optional: Any) -> Block:
    """`block` with those of `optional` that are set."""
    return block | {key: value for key, value in optional.items() if value}


def plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limit)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_LIMIT)}


def section(text: str, *, block_id: str | None = None, accessory: Block | None = None) -> Block:
    return _with({"type": "section", "text": mrkdwn(text)}, block_id=block_id, accessory=accessory)


def fields_section(pairs: list[tuple[str, str]]) -> Block:
    """A section of up to 10 labelled fields."""
    return {
        "type": "section",
        "fields": [mrkdwn(f"*{label}*\n{value}", 2000) for label, value in pairs[:10]],
    }


def context(*texts: str) -> Block:
    return {
        "type": "context",
        "elements": [mrkdwn(text) for text in texts[:CONTEXT_ELEMENTS_LIMIT]],
    }


def divider() -> Block:
    return {"type": "divider"}


def button(
    text: str,
    action_id: str,
    value: str = "",
    *,
    style: str | None = None,
    confirm: Block | None = None,
) -> Block:
    element = {"type": "button", "text": plain(text, BUTTON_TEXT_LIMIT), "action_id": action_id}
    return _with(element, value=value, style=style, confirm=confirm)


def actions(*elements: Block, block_id: str | None = None) -> Block:
    return _with({"type": "actions", "elements": list(elements)}, block_id=block_id)


def option(text: str, value: str) -> Block:
    return {"text": plain(text, OPTION_TEXT_LIMIT), "value": value}


def confirm_dialog(title: str, text: str, confirm: str, deny: str = "Cancel") -> Block:
    return {
        "title": plain(title, 100),
        "text": mrkdwn(text, 300),
        "confirm": plain(confirm, 30),
        "deny": plain(deny, 30),
    }


def modal(
    *,
    title: str,
    blocks: list[Block],
    callback_id: str,
    submit: str | None = None,
    close: str = "Cancel",
    private_metadata: str = "",
    notify_on_close: bool = False,
) -> Block:
    view: Block = {
        "type": "modal",
        "callback_id": callback_id,
        "title": plain(title, VIEW_TITLE_LIMIT),
        "close": plain(close, VIEW_TITLE_LIMIT),
        "blocks": blocks,
    }
    return _with(
        view,
        submit=submit and plain(submit, VIEW_TITLE_LIMIT),
        private_metadata=private_metadata,
        notify_on_close=notify_on_close,
    )


def input_block(
    *,
    block_id: str,
    label: str,
    element: Block,
    optional: bool = False,
    hint: str | None = None,
    dispatch_action: bool = False,
) -> Block:
    block: Block = {
        "type": "input",
        "block_id": block_id,
        "label": plain(label, 2000),
        "element": element,
        "optional": optional,
    }
    return _with(block, hint=hint and plain(hint, 2000), dispatch_action=dispatch_action)


def text_input(
    action_id: str,
    *,
    max_length: int,
    placeholder: str = "",
    initial: str = "",
    multiline: bool = False,
) -> Block:
    """A plain_text_input element (Slack allows a placeholder of 150 characters at most)."""
    element: Block = {"type": "plain_text_input", "action_id": action_id}
    return _with(
        element,
        multiline=multiline,
        max_length=max_length,
        placeholder=placeholder and plain(placeholder, 150),
        initial_value=initial,
    )


def input_value(state: dict[str, Any]) -> Any:
    """The value one input element reports in `view.state.values`, by element type (text
    stripped, "" for an untouched input, which Slack reports as null)."""
    kind = state.get("type")
    if kind in ("static_select", "external_select", "radio_buttons"):
        chosen = state.get("selected_option")
        return chosen["value"] if chosen else None
    if kind in ("multi_static_select", "checkboxes"):
        return [chosen["value"] for chosen in state.get("selected_options") or []]
    if kind == "users_select":
        return state.get("selected_user")
    if kind == "multi_users_select":
        return state.get("selected_users") or []
    if kind == "datepicker":
        return state.get("selected_date")
    return (state.get("value") or "").strip()


def input_values(values: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each input block's value in `view.state.values`, by block id (see `input_value`)."""
    return {
        block: input_value(state) for block, states in values.items() for state in states.values()
    }


@dataclass(frozen=True)
class HomeSection:
    """A feature's part of the Home tab, built by that feature."""

    title: str
    blocks: tuple[Block, ...]
    review_id: int | None = None
