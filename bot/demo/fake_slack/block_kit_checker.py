"""Block Kit's rules for blocks and their elements, checked the way Slack checks them.

`BlockKitChecker` walks a payload and collects Slack-style messages
(``<problem> [json-pointer:<path>]``); `validator` decides which surface's limits apply.
"""

from __future__ import annotations

from typing import Any

_BLOCK_TYPES = frozenset(
    {
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
    }
)
_ELEMENT_TYPES = frozenset(
    {
        "button",
        "checkboxes",
        "radio_buttons",
        "overflow",
        "datepicker",
        "timepicker",
        "datetimepicker",
        "plain_text_input",
        "number_input",
        "email_text_input",
        "url_text_input",
        "rich_text_input",
        "file_input",
        "image",
        "static_select",
        "multi_static_select",
        "external_select",
        "multi_external_select",
        "users_select",
        "multi_users_select",
        "conversations_select",
        "multi_conversations_select",
        "channels_select",
        "multi_channels_select",
    }
)
_TEXT_TYPES = ("plain_text", "mrkdwn")


class BlockKitChecker:
    """Collects Slack-style error messages: ``<problem> [json-pointer:<path>]``."""

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

    def blocks(self, blocks: Any, path: str, maximum: int) -> None:
        seen_ids: set[str] = set()
        for index, block in enumerate(self.items(blocks, path, maximum)):
            self.block(block, f"{path}/{index}", seen_ids)

    def block(self, block: Any, path: str, seen_ids: set[str]) -> None:
        if not isinstance(block, dict):
            self.fail(path, "must be an object")
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
                        self.string(
                            element.get("alt_text"), f"{element_path}/alt_text", 2000, required=True
                        )
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
        if not isinstance(element, dict):
            self.fail(path, "must be an object")
            return
        element_type = element.get("type")
        if element_type not in _ELEMENT_TYPES:
            self.fail(f"{path}/type", f"unsupported element type: {element_type!r}")
            return
        self.string(element.get("action_id"), f"{path}/action_id", 255)
        self.text(
            element.get("placeholder"), f"{path}/placeholder", 150, plain=True, required=False
        )
        if element.get("confirm") is not None:
            self.confirm(element["confirm"], f"{path}/confirm")
        match element_type:
            case "button":
                self.text(element.get("text"), f"{path}/text", 75, plain=True)
                self.string(element.get("value"), f"{path}/value", 2000)
                self.string(element.get("url"), f"{path}/url", 3000)
            case "radio_buttons" | "checkboxes":
                self.options(element.get("options"), f"{path}/options", 10, minimum=1)
            case "overflow":
                self.options(element.get("options"), f"{path}/options", 5, minimum=2)
            case "static_select" | "multi_static_select":
                self.select_options(element, path)
            case "plain_text_input":
                self.bounded_int(element.get("max_length"), f"{path}/max_length", 1, 3000)
                self.bounded_int(element.get("min_length"), f"{path}/min_length", 0, 3000)

    def select_options(self, element: dict[str, Any], path: str) -> None:
        groups = element.get("option_groups")
        if groups is None:
            self.options(element.get("options"), f"{path}/options", 100, minimum=1)
            return
        for index, group in enumerate(self.items(groups, f"{path}/option_groups", 100)):
            group_path = f"{path}/option_groups/{index}"
            if not isinstance(group, dict):
                self.fail(group_path, "must be an object")
                continue
            self.text(group.get("label"), f"{group_path}/label", 75, plain=True)
            self.options(group.get("options"), f"{group_path}/options", 100, minimum=1)

    def options(self, options: Any, path: str, maximum: int, *, minimum: int) -> None:
        for index, option in enumerate(self.items(options, path, maximum, minimum=minimum)):
            option_path = f"{path}/{index}"
            if not isinstance(option, dict):
                self.fail(option_path, "must be an object")
                continue
            self.text(option.get("text"), f"{option_path}/text", 75)
            # Slack's documentation says 150 for option values (older pages say 75).
            self.string(option.get("value"), f"{option_path}/value", 150)
            self.text(option.get("description"), f"{option_path}/description", 75, required=False)

    def confirm(self, confirm: Any, path: str) -> None:
        if not isinstance(confirm, dict):
            self.fail(path, "must be an object")
            return
        self.text(confirm.get("title"), f"{path}/title", 100, plain=True)
        self.text(confirm.get("text"), f"{path}/text", 300)
        self.text(confirm.get("confirm"), f"{path}/confirm", 30, plain=True)
        self.text(confirm.get("deny"), f"{path}/deny", 30, plain=True)

    def bounded_int(self, value: Any, path: str, low: int, high: int) -> None:
        if value is None:
            return
        if not isinstance(value, int) or isinstance(value, bool):
            self.fail(path, "must be an integer")
        elif not low <= value <= high:
            self.fail(path, f"must be between {low} and {high}")
