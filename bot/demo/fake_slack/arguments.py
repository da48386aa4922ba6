"""Reading a Web API call's decoded arguments as text."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any


def text_arg(args: Mapping[str, Any], key: str) -> str:
    value = args.get(key)
    return "" if value is None else str(value)


def optional_text(args: Mapping[str, Any], key: str) -> str | None:
    value = args.get(key)
    return None if value is None or value == "" else str(value)
