"""Small pure helpers that build Block Kit dicts, cutting text to Slack's limits."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from bot.slack.text import truncate

Block = dict[str, Any]


@dataclass(frozen=True)
class Message:
    """A message's fallback text and its blocks."""

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


def plain(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "plain_text", "text": truncate(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_LIMIT) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": truncate(text, limit)}


def header(text: str) -> Block:
    return {"type": "header", "text": plain(text, HEADER_LIMIT)}


def section(text: str, *, block_id: str | None = None, accessory: Block | None = None) -> Block:
    block: Block = {"type": "section", "text": mrkdwn(text)}
    if block_id:
        block["block_id"] = block_id
    if accessory:
        block["accessory"] = accessory
    return block


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
    element: Block = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_LIMIT),
        "action_id": action_id,
    }
    if value:
        element["value"] = value
    if style:
        element["style"] = style
    if confirm:
        element["confirm"] = confirm
    return element


def actions(*elements: Block, block_id: str | None = None) -> Block:
    block: Block = {"type": "actions", "elements": list(elements)}
    if block_id:
        block["block_id"] = block_id
    return block


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
    if submit:
        view["submit"] = plain(submit, VIEW_TITLE_LIMIT)
    if private_metadata:
        view["private_metadata"] = private_metadata
    if notify_on_close:
        view["notify_on_close"] = True
    return view


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
    if hint:
        block["hint"] = plain(hint, 2000)
    if dispatch_action:
        block["dispatch_action"] = True
    return block


def input_value(state: dict[str, Any]) -> Any:
    """The value one input element reports in `view.state.values`, by element type.

    Selects give the chosen option's value (or None), multi-selects and checkboxes a list
    of values, user pickers user ids, datepickers "YYYY-MM-DD", text inputs stripped text
    ("" when empty: Slack reports an untouched input as null).
    """
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
