"""Slack's client side of Block Kit: finding an element to click, and the `view.state.values`
a submitted modal carries.

Like Slack's client, a submitted modal reports every input's current value, and an input the
person did not touch reports its initial value.
"""

from __future__ import annotations

from typing import Any


def find_element(
    blocks: list[dict[str, Any]], action_id: str, value: str | None = None
) -> tuple[str, dict[str, Any]]:
    for block in blocks:
        candidates = list(block.get("elements", []))
        if "accessory" in block:
            candidates.append(block["accessory"])
        for element in candidates:
            options = [option.get("value") for option in element.get("options", [])]
            if element.get("action_id") == action_id and (
                value is None or element.get("value") == value or value in options
            ):
                return block.get("block_id", "b"), element
    raise AssertionError(f"no element {action_id!r} (value {value!r}) in the blocks")


STATEFUL_ACCESSORIES = frozenset(
    {"radio_buttons", "static_select", "checkboxes", "datepicker", "users_select"}
)


def view_state(view: dict[str, Any], inputs: dict[str, Any]) -> dict[str, Any]:
    """Slack's `view.state.values` for a modal, from field name → value.

    Field names are block_id prefixes (before any ':'); a section's choice (its accessory)
    counts as an input. Untouched inputs keep their
    initial value, as in Slack's client; a value of None clears an input.
    """
    values: dict[str, Any] = {}
    for block in view.get("blocks", []):
        if block.get("type") == "input":
            element = block["element"]
        elif block.get("accessory", {}).get("type") in STATEFUL_ACCESSORIES:
            element = block["accessory"]  # Slack reports a choice beside a section too
        else:
            continue
        name = block["block_id"].split(":")[0]
        given = inputs.get(name, _initial(element)) if name in inputs else _initial(element)
        values[block["block_id"]] = {element["action_id"]: _state(element, given)}
    return values


def _initial(element: dict[str, Any]) -> Any:
    kind = element["type"]
    if kind == "datepicker":
        return element.get("initial_date")
    if kind == "users_select":
        return element.get("initial_user")
    if kind == "multi_users_select":
        return element.get("initial_users", [])
    if kind in ("static_select", "radio_buttons"):
        chosen = element.get("initial_option")
        return chosen["value"] if chosen else None
    if kind in ("multi_static_select", "checkboxes"):
        return [option["value"] for option in element.get("initial_options", [])]
    return element.get("initial_value")


def _option(element: dict[str, Any], value: str) -> dict[str, Any]:
    options = element.get("options") or [
        option for group in element.get("option_groups", []) for option in group["options"]
    ]
    for option in options:
        if option["value"] == value:
            return dict(option)
    raise AssertionError(f"{value!r} is not an option of {element['action_id']}")


def _state(element: dict[str, Any], value: Any) -> dict[str, Any]:
    kind = element["type"]
    if kind == "datepicker":
        return {"type": kind, "selected_date": value}
    if kind == "users_select":
        return {"type": kind, "selected_user": value}
    if kind == "multi_users_select":
        return {"type": kind, "selected_users": list(value or [])}
    if kind in ("static_select", "radio_buttons"):
        return {"type": kind, "selected_option": _option(element, value) if value else None}
    if kind in ("multi_static_select", "checkboxes"):
        return {"type": kind, "selected_options": [_option(element, v) for v in value or []]}
    if kind == "plain_text_input":
        return {"type": kind, "value": value}
    raise AssertionError(f"driver does not know how to fill {kind}")
