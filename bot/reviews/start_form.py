"""Reading the `/psif start` modal's payloads (view state and private_metadata)."""

from __future__ import annotations

from typing import Any

from bot.reviews.form import OVERRIDE_VALUE, StartForm, field_of
from bot.slack.blocks import input_value
from bot.slack.payloads import reading


def parse_start_state(values: dict[str, dict[str, Any]]) -> StartForm:
    """Read `view.state.values` into a StartForm, whatever the date fields' revisions."""
    data: dict[str, Any] = {}
    for block_id, actions in values.items():
        for state in actions.values():
            data[field_of(block_id)] = input_value(state)
    overrides = data.pop("override", None) or []
    data["allow_outside_guidance"] = OVERRIDE_VALUE in overrides
    return StartForm.model_validate(data)


def read_start_state(view: dict[str, Any]) -> StartForm:
    """The submitted form; UnreadablePayload if its state can't be what the modal sent."""
    with reading("the start form"):
        return parse_start_state((view.get("state") or {}).get("values") or {})


def current_block_ids(view: dict[str, Any]) -> dict[str, str]:
    """field name → block_id as it is in this view (errors must name the live block_id)."""
    return {
        field_of(block["block_id"]): block["block_id"]
        for block in view.get("blocks", [])
        if "block_id" in block
    }
