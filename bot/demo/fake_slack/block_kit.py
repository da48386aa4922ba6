"""Block Kit's rules for messages, modals and Home tabs, checked as Slack checks them and
reported as Slack reports them: `<problem> [json-pointer:<path>]`."""

from __future__ import annotations

from typing import Any, Literal

Surface = Literal["message", "modal", "home"]

_BLOCK_TYPES = frozenset(
    (
        "section",
        "divider",
        "header",
        "context",
        "actions",
        "input",
        "image",
        "rich_text",
        "file",
        "video",
    )
)
_INPUTS = ("plain_text", "number", "email_text", "url_text", "rich_text", "file")
_SELECTS = ("static", "external", "users", "conversations", "channels")
_ELEMENT_TYPES = frozenset(
    ["button", "checkboxes", "radio_buttons", "overflow", "image"]
    + ["datepicker", "timepicker", "datetimepicker"]
    + [f"{kind}_input" for kind in _INPUTS]
    + [f"{multi}{kind}_select" for multi in ("", "multi_") for kind in _SELECTS]
)
_TEXT_TYPES = ("plain_text", "mrkdwn")


def validate_blocks(blocks: Any, surface: Surface) -> list[str]:
    """What Slack finds wrong with `blocks` on `surface`; empty when valid."""
    checker = _Checker()
    if surface == "message":
        checker.blocks(blocks, "/blocks", 50)
    else:
        checker.blocks(blocks, "/view/blocks", 100)
    return checker.errors


def validate_view(view: Any, surface: Literal["modal", "home"]) -> list[str]:
    checker = _Checker()
    if not isinstance(view, dict):
        checker.fail("/view", "must be an object")
        return checker.errors
    if view.get("type") != surface:
        checker.fail("/view/type", f"must be {surface!r}")
    if surface == "modal":
        checker.text(view.get("title"), "/view/title", 24, plain=True)
        checker.text(view.get("submit"), "/view/submit", 24, plain=True, required=False)
        checker.text(view.get("close"), "/view/close", 24, plain=True, required=False)
        blocks = view.get("blocks")
        has_input = isinstance(blocks, list) and any(
            isinstance(block, dict) and block.get("type") == "input" for block in blocks
        )
        if has_input and view.get("submit") is None:
            checker.fail("/view/submit", "submit is required when the view has an input block")
    checker.string(view.get("private_metadata"), "/view/private_metadata", 3000)
    checker.string(view.get("callback_id"), "/view/callback_id", 255)
    checker.string(view.get("external_id"), "/view/external_id", 255)
    return checker.errors + validate_blocks(view.get("blocks"), surface)


class _Checker:
    def __init__(self) -> None:
        self.errors: list[str] = []

    def fail(self, path: str, problem: str) -> None:
        self.errors.append(f"{problem} [json-pointer:{path}]")

    def string(self, value: Any, path: str, limit: int, *, required: bool = False) -> None:
        if value is None:
            if required:
                self.fail(path, "missing required field")
        elif not isinstance(value, str):
            self.fail(path, "must be a string")
        elif len(value) > limit:
            self.fail(path, f"must be less than {limit + 1} characters")

    def text(
        self, obj: Any, path: str, limit: int, *, plain: bool = False, required: bool = True
    ) -> None:
        if obj is None:
            if required:
                self.fail(path, "missing required field")
            return
        if not isinstance(obj, dict):
            self.fail(path, "must be a text object")
            return
        allowed = ("plain_text",) if plain else _TEXT_TYPES
        if obj.get("type") not in allowed:
            self.fail(f"{path}/type", f"must be one of: {', '.join(allowed)}")
        value = obj.get("text")
        if not isinstance(value, str) or not value:
            self.fail(f"{path}/text", "must be more than 0 characters")
        elif len(value) > limit:
            self.fail(f"{path}/text", f"must be less than {limit + 1} characters")

    def items(
        self, seq: Any, path: str, maximum: int, *, minimum: int = 0, required: bool = True
    ) -> list[Any]:
        if seq is None and not required:
            return []
        if not isinstance(seq, list):
            self.fail(path, "must be an array")
            return []
        if len(seq) > maximum:
            self.fail(path, f"no more than {maximum} items allowed")
        if len(seq) < minimum:
            self.fail(path, f"must provide at least {minimum} items")
        return seq

    def is_object(self, value: Any, path: str) -> bool:
        if not isinstance(value, dict):
            self.fail(path, "must be an object")
        return isinstance(value, dict)

    def blocks(self, blocks: Any, path: str, maximum: int) -> None:
        seen_ids: set[str] = set()
        for index, block in enumerate(self.items(blocks, path, maximum)):
            self.block(block, f"{path}/{index}", seen_ids)

    def block(self, block: Any, path: str, seen_ids: set[str]) -> None:
        if not self.is_object(block, path):
            return
        block_type = block.get("type")
        if block_type not in _BLOCK_TYPES:
            self.fail(f"{path}/type", f"unsupported block type: {block_type!r}")
            return
        block_id = block.get("block_id")
        self.string(block_id, f"{path}/block_id", 255)
        if isinstance(block_id, str):
            if block_id in seen_ids:
                self.fail(f"{path}/block_id", f"duplicate block_id: {block_id!r}")
            seen_ids.add(block_id)
        match block_type:
            case "section":
                if block.get("text") is None and block.get("fields") is None:
                    self.fail(path, "must provide either text or fields")
                self.text(block.get("text"), f"{path}/text", 3000, required=False)
                fields = self.items(block.get("fields"), f"{path}/fields", 10, required=False)
                for index, item in enumerate(fields):
                    self.text(item, f"{path}/fields/{index}", 2000)
                if block.get("accessory") is not None:
                    self.element(block["accessory"], f"{path}/accessory")
            case "header":
                self.text(block.get("text"), f"{path}/text", 150, plain=True)
            case "context":
                elements = self.items(block.get("elements"), f"{path}/elements", 10, minimum=1)
                for index, element in enumerate(elements):
                    element_path = f"{path}/elements/{index}"
                    if isinstance(element, dict) and element.get("type") == "image":
                        alt_text = element.get("alt_text")
                        self.string(alt_text, f"{element_path}/alt_text", 2000, required=True)
                    else:
                        self.text(element, element_path, 3000)
            case "actions":
                elements = self.items(block.get("elements"), f"{path}/elements", 25, minimum=1)
                for index, element in enumerate(elements):
                    self.element(element, f"{path}/elements/{index}")
            case "input":
                self.text(block.get("label"), f"{path}/label", 2000, plain=True)
                self.text(block.get("hint"), f"{path}/hint", 2000, plain=True, required=False)
                if block.get("element") is None:
                    self.fail(f"{path}/element", "missing required field")
                else:
                    self.element(block["element"], f"{path}/element")
            case "image":
                self.string(block.get("image_url"), f"{path}/image_url", 3000)
                self.string(block.get("alt_text"), f"{path}/alt_text", 2000, required=True)
                self.text(block.get("title"), f"{path}/title", 2000, plain=True, required=False)

    def element(self, element: Any, path: str) -> None:
        if not self.is_object(element, path):
            return
        element_type = element.get("type")
        if element_type not in _ELEMENT_TYPES:
            self.fail(f"{path}/type", f"unsupported element type: {element_type!r}")
            return
        self.string(element.get("action_id"), f"{path}/action_id", 255)
        placeholder = element.get("placeholder")
        self.text(placeholder, f"{path}/placeholder", 150, plain=True, required=False)
        confirm = element.get("confirm")
        if confirm is not None and self.is_object(confirm, f"{path}/confirm"):
            self.text(confirm.get("title"), f"{path}/confirm/title", 100, plain=True)
            self.text(confirm.get("text"), f"{path}/confirm/text", 300)
            self.text(confirm.get("confirm"), f"{path}/confirm/confirm", 30, plain=True)
            self.text(confirm.get("deny"), f"{path}/confirm/deny", 30, plain=True)
        match element_type:
            case "button":
                self.text(element.get("text"), f"{path}/text", 75, plain=True)
                self.string(element.get("value"), f"{path}/value", 2000)
                self.string(element.get("url"), f"{path}/url", 3000)
            case "radio_buttons" | "checkboxes":
                self.options(element.get("options"), f"{path}/options", 10, minimum=1)
            case "overflow":
                self.options(element.get("options"), f"{path}/options", 5, minimum=2)
            case "static_select" | "multi_static_select" if (
                element.get("option_groups") is not None
            ):
                groups = self.items(element["option_groups"], f"{path}/option_groups", 100)
                for index, group in enumerate(groups):
                    group_path = f"{path}/option_groups/{index}"
                    if self.is_object(group, group_path):
                        self.text(group.get("label"), f"{group_path}/label", 75, plain=True)
                        options = group.get("options")
                        self.options(options, f"{group_path}/options", 100, minimum=1)
            case "static_select" | "multi_static_select":
                self.options(element.get("options"), f"{path}/options", 100, minimum=1)
            case "plain_text_input":
                self.bounded_int(element.get("max_length"), f"{path}/max_length", 1, 3000)
                self.bounded_int(element.get("min_length"), f"{path}/min_length", 0, 3000)

    def options(self, options: Any, path: str, maximum: int, *, minimum: int) -> None:
        for index, option in enumerate(self.items(options, path, maximum, minimum=minimum)):
            option_path = f"{path}/{index}"
            if not self.is_object(option, option_path):
                continue
            self.text(option.get("text"), f"{option_path}/text", 75)
            # Slack's documentation says 150 for option values (older pages say 75).
            self.string(option.get("value"), f"{option_path}/value", 150)
            self.text(option.get("description"), f"{option_path}/description", 75, required=False)

    def bounded_int(self, value: Any, path: str, low: int, high: int) -> None:
        if value is None:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, "must be an integer")
        elif not low <= value <= high:
            self.fail(path, f"must be between {low} and {high}")
