"""What a person typed or filled in, shown as they saw it in Slack."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

_MENTION = re.compile(r"<@(\w+)(?:\|[^>]*)?>")
_LINK = re.compile(r"<(https://[^|>]+)(?:\|[^>]*)?>")


def readable(text: str, names: Callable[[str], str]) -> str:
    """Slack's `<@U123|name>` mentions and `<https://…>` links in what a person typed,
    as they saw them; `names` gives a user id's name."""
    text = _LINK.sub(lambda match: match.group(1), text)
    return _MENTION.sub(lambda match: "@" + names(match.group(1)), text)


def describe_inputs(
    view: dict[str, Any], inputs: dict[str, Any], readable: Callable[[str], str]
) -> tuple[tuple[str, str], ...]:
    """What a person filled in, as (label, value) pairs in the modal's order."""
    described: list[tuple[str, str]] = []
    for block in view.get("blocks", []):
        name = str(block.get("block_id", "")).split(":")[0]
        if block.get("type") != "input" or name not in inputs or inputs[name] in (None, "", []):
            continue
        value = inputs[name]
        element = block["element"]
        options = {o["value"]: o["text"]["text"] for o in element.get("options", [])}
        for group in element.get("option_groups", []):
            options.update({o["value"]: o["text"]["text"] for o in group["options"]})
        values = value if isinstance(value, list) else [value]
        if element["type"].endswith("users_select"):
            shown = ", ".join(readable(f"<@{v}>") for v in values)
        else:
            shown = ", ".join(options.get(str(v), str(v)) for v in values)
        described.append((block["label"]["text"], shown))
    return tuple(described)
