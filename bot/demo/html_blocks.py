"""Block Kit as HTML that looks like Slack's client, for the demo's transcript page.

Nothing here points outside the page: external images are shown as their alt text, so the
page opens with no network.
"""

from __future__ import annotations

import html
from typing import Any

from bot.demo.markup import Names, to_html


def _text(obj: Any, names: Names) -> str:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return ""
    if obj.get("type") == "plain_text":
        return html.escape(obj["text"])
    return to_html(obj["text"], names)


def _button(element: dict[str, Any], names: Names) -> str:
    style = element.get("style", "")
    return f'<span class="button {html.escape(style)}">{_text(element.get("text"), names)}</span>'


def _choice(option: dict[str, Any], chosen: bool, names: Names, kind: str) -> str:
    mark = ("◉" if chosen else "○") if kind == "radio_buttons" else ("☑" if chosen else "☐")
    return f'<div class="choice">{mark} {_text(option.get("text"), names)}</div>'


def element_html(element: dict[str, Any], names: Names) -> str:
    kind = element.get("type", "")
    if kind == "button":
        return _button(element, names)
    if kind == "overflow":
        return '<span class="button">⋯</span>'
    if kind in ("radio_buttons", "checkboxes"):
        chosen = element.get("initial_options") or [element.get("initial_option")]
        return "".join(
            _choice(option, option in chosen, names, kind) for option in element.get("options", [])
        )
    placeholder = _text(element.get("placeholder"), names)
    if kind == "datepicker":
        shown = html.escape(element.get("initial_date") or "") or placeholder
        return f'<span class="field">📅 {shown}</span>'
    if kind == "plain_text_input":
        value = html.escape(element.get("initial_value") or "")
        tall = " tall" if element.get("multiline") else ""
        return f'<span class="field{tall}">{value or f"<i>{placeholder}</i>"}</span>'
    if kind.endswith("users_select"):
        chosen_users = element.get("initial_users") or [element.get("initial_user")]
        shown = ", ".join(f"@{html.escape(names(u))}" for u in chosen_users if u)
        return f'<span class="field">{shown or f"<i>{placeholder}</i>"} ▾</span>'
    if "select" in kind:
        chosen_options = element.get("initial_options") or [element.get("initial_option")]
        shown = ", ".join(_text(o.get("text"), names) for o in chosen_options if o)
        return f'<span class="field">{shown or f"<i>{placeholder}</i>"} ▾</span>'
    return f'<span class="field">{html.escape(kind)}</span>'


def block_html(block: dict[str, Any], names: Names) -> str:
    kind = block.get("type")
    if kind == "divider":
        return "<hr>"
    if kind == "header":
        return f'<div class="header">{_text(block.get("text"), names)}</div>'
    if kind == "context":
        parts = [_text(e, names) or html.escape(e.get("alt_text", "")) for e in block["elements"]]
        return f'<div class="context">{"  ".join(parts)}</div>'
    if kind == "actions":
        elements = "".join(element_html(e, names) for e in block.get("elements", []))
        return f'<div class="actions">{elements}</div>'
    if kind == "input":
        label = _text(block.get("label"), names)
        hint = _text(block.get("hint"), names)
        element = element_html(block.get("element", {}), names)
        hint_html = f'<div class="hint">{hint}</div>' if hint else ""
        return f'<div class="input"><label>{label}</label>{element}{hint_html}</div>'
    if kind == "image":
        return f'<div class="context">[image: {html.escape(block.get("alt_text", ""))}]</div>'
    if kind != "section":
        return f'<div class="context">[{html.escape(str(kind))} block]</div>'
    text = f'<div class="text">{_text(block["text"], names)}</div>' if block.get("text") else ""
    fields = "".join(f"<div>{_text(field, names)}</div>" for field in block.get("fields", []))
    if fields:
        text += f'<div class="fields">{fields}</div>'
    accessory = block.get("accessory")
    side = f'<div class="accessory">{element_html(accessory, names)}</div>' if accessory else ""
    return f'<div class="section">{text}{side}</div>'


def blocks_html(blocks: list[dict[str, Any]], names: Names) -> str:
    return "".join(block_html(block, names) for block in blocks)


def view_html(view: dict[str, Any], names: Names) -> str:
    """A modal as Slack draws it: title bar, blocks, Cancel and Submit at the foot."""
    title = _text(view.get("title"), names) or "Home"
    foot = ""
    if view.get("submit") or view.get("close"):
        close = _text(view.get("close"), names) or "Cancel"
        submit = _text(view.get("submit"), names)
        submit_button = f'<span class="button primary">{submit}</span>' if submit else ""
        foot = f'<div class="foot"><span class="button">{close}</span>{submit_button}</div>'
    return (
        f'<div class="modal"><div class="title">{title}</div>'
        f'<div class="body">{blocks_html(view.get("blocks", []), names)}</div>{foot}</div>'
    )
