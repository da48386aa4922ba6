"""Cross-cutting request handling."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt import App

from bot.deps import Deps


def without_nul_characters(node: Any) -> Any:
    """The payload with NUL characters removed from every string, in place."""
    if isinstance(node, dict):
        for key, value in node.items():
            node[key] = without_nul_characters(value)
    elif isinstance(node, list):
        node[:] = [without_nul_characters(value) for value in node]
    elif isinstance(node, str) and "\x00" in node:
        return node.replace("\x00", "")
    return node


def register(app: App, deps: Deps) -> None:
    @app.middleware
    def drop_nul_characters(body: dict[str, Any], next: Callable[[], None]) -> None:
        """PostgreSQL can't store a NUL, and no one types one."""
        without_nul_characters(body)
        next()
