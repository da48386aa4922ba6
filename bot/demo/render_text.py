"""Block Kit as plain text for the terminal transcript: what a person would see in Slack."""

from __future__ import annotations

from typing import Any

from bot.demo.markup import Names, to_text


def text_of(obj: Any, names: Names) -> str:
    """A text object's words (mrkdwn resolved), or '' when there is none."""
    if isinstance(obj, dict) and isinstance(obj.get("text"), str):
        return to_text(obj["text"], names)
    return ""


def element_text(element: dict[str, Any], names: Names) -> str:
    """An interactive element in one short line: [Button], (•) chosen option, ▾ select…"""
    kind = element.get("type", "")
    if kind == "button":
        return f"[{text_of(element.get('text'), names)}]"
    if kind == "overflow":
        return "[⋯]"
    if kind in ("radio_buttons", "checkboxes"):
        chosen = element.get("initial_options") or [element.get("initial_option")]
        mark = "○" if kind == "radio_buttons" else "☐"
        return f"{mark} " + " / ".join(
            text_of(option.get("text"), names) + (" ✓" if option in chosen else "")
            for option in element.get("options", [])
        )
    if kind == "datepicker":
        return f"[📅 {element.get('initial_date') or 'choose a date'}]"
    if kind == "plain_text_input":
        return f"[{element.get('initial_value') or text_of(element.get('placeholder'), names)}]"
    if kind.endswith("users_select"):
        chosen = element.get("initial_users") or [element.get("initial_user")]
        people = ", ".join(names(user) for user in chosen if user)
        return f"[{people or 'choose people'} ▾]"
    if "select" in kind:
        chosen = element.get("initial_options") or [element.get("initial_option")]
        shown = ", ".join(text_of(option.get("text"), names) for option in chosen if option)
        return f"[{shown or text_of(element.get('placeholder'), names) or 'choose'} ▾]"
    return f"[{kind}]"


def block_lines(block: dict[str, Any], names: Names) -> list[str]:
    kind = block.get("type")
    if kind == "divider":
        return ["─" * 40]
    if kind == "header":
        return [text_of(block.get("text"), names).upper()]
    if kind == "context":
        parts = [text_of(e, names) or f"[{e.get('alt_text', 'image')}]" for e in block["elements"]]
        return ["  ".join(parts)]
    if kind == "actions":
        return ["  ".join(element_text(e, names) for e in block.get("elements", []))]
    if kind == "input":
        label = text_of(block.get("label"), names)
        return [f"{label}: {element_text(block.get('element', {}), names)}"]
    if kind == "image":
        return [f"[image: {block.get('alt_text', '')}]"]
    if kind != "section":
        return [f"[{kind} block]"]
    lines = text_of(block.get("text"), names).split("\n") if block.get("text") else []
    for field in block.get("fields", []):
        lines.extend(text_of(field, names).split("\n"))
    accessory = block.get("accessory")
    if accessory:
        lines.append(element_text(accessory, names))
    return lines


def blocks_lines(blocks: list[dict[str, Any]], names: Names) -> list[str]:
    return [line for block in blocks for line in block_lines(block, names)]


def view_lines(view: dict[str, Any], names: Names) -> list[str]:
    """A modal or Home tab: its title in a bar, its blocks, its buttons at the foot."""
    title = text_of(view.get("title"), names) or "Home"
    lines = [f"┌─ {title} " + "─" * max(3, 36 - len(title))]
    lines.extend(f"│ {line}" for line in blocks_lines(view.get("blocks", []), names))
    buttons = [text_of(view.get(key), names) for key in ("close", "submit") if view.get(key)]
    if buttons:
        lines.append("│ " + "  ".join(f"[{button}]" for button in buttons))
    lines.append("└" + "─" * 40)
    return lines
