"""Reading the `/psif start` modal's payloads (view state and private_metadata)."""

from __future__ import annotations

import json
from typing import Any

from bot.review_form import OVERRIDE_VALUE, StartForm, StartMetadata, field_of


def _state_value(state: dict[str, Any]) -> Any:
    kind = state.get("type")
    if kind in ("static_select", "external_select"):
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


def parse_start_state(values: dict[str, dict[str, Any]]) -> StartForm:
    """Read `view.state.values` into a StartForm, whatever the date fields' revisions."""
    data: dict[str, Any] = {}
    for block_id, actions in values.items():
        for state in actions.values():
            data[field_of(block_id)] = _state_value(state)
    overrides = data.pop("override", None) or []
    data["allow_outside_guidance"] = OVERRIDE_VALUE in overrides
    return StartForm.model_validate(data)


def current_block_ids(view: dict[str, Any]) -> dict[str, str]:
    """field name → block_id as it is in this view (errors must name the live block_id)."""
    return {
        field_of(block["block_id"]): block["block_id"]
        for block in view.get("blocks", [])
        if "block_id" in block
    }


def parse_metadata(raw: str) -> StartMetadata:
    return StartMetadata.model_validate(json.loads(raw or "{}"))
