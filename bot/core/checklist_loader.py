"""Loading checklists from YAML files, with error messages a checklist owner can act on."""

from __future__ import annotations

import os
from collections.abc import Iterable
from functools import cache
from importlib import resources
from typing import Any

import yaml
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from bot.core.checklist import ERROR_LOC_KEY, Checklist, format_loc

_DEFAULT_PACKAGE = "bot"
_DEFAULT_RESOURCE = ("data", "checklists", "psif-default.yaml")

# Pydantic's wording for these is terse and talks about Python rather than the file.
_FRIENDLY_MESSAGES = {
    "missing": "required field is missing",
    "extra_forbidden": "unknown field (check the spelling)",
}


class ChecklistError(Exception):
    """An unreadable or invalid checklist: a problem per line, with file, line and path."""


def parse_checklist(text: str, source: str) -> Checklist:
    """Parse and validate checklist YAML; ``source`` names it in a ``ChecklistError``."""
    try:
        data = yaml.safe_load(text)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        where = f", line {mark.line + 1}" if mark is not None else ""
        reason = exc.problem or exc.context or "unreadable YAML"
        raise ChecklistError(f"{source}{where}: invalid YAML: {reason}") from exc
    except yaml.YAMLError as exc:
        raise ChecklistError(f"{source}: invalid YAML: {exc}") from exc
    if not isinstance(data, dict):
        raise ChecklistError(f"{source}: expected a mapping of checklist fields at the top level")
    try:
        return Checklist.model_validate(data)
    except ValidationError as exc:
        # Compose again (only on failure) for the line marks.
        root = yaml.compose(text, Loader=yaml.SafeLoader)
        problems = [_describe(error, root, source) for error in exc.errors()]
        raise ChecklistError("\n".join(problems)) from exc


def load_checklist(path: str | os.PathLike[str]) -> Checklist:
    source = os.fspath(path)
    try:
        with open(source, encoding="utf-8") as handle:
            text = handle.read()
    except (OSError, UnicodeDecodeError) as exc:
        raise ChecklistError(f"{source}: cannot read file: {exc}") from exc
    return parse_checklist(text, source)


def load_checklists(
    paths: Iterable[str | os.PathLike[str]], sources: dict[str, str] | None = None
) -> dict[str, Checklist]:
    """Checklist files by id; stored answers refer to ids, so a reused one (of another file
    or of ``sources``, id to origin) is a ``ChecklistError``."""
    sources = dict(sources or {})
    loaded: dict[str, Checklist] = {}
    for path in paths:
        checklist = load_checklist(path)
        if checklist.id in sources:
            raise ChecklistError(
                f"{os.fspath(path)}: checklist id '{checklist.id}' is already used by "
                f"{sources[checklist.id]}; give each checklist its own id"
            )
        loaded[checklist.id] = checklist
        sources[checklist.id] = os.fspath(path)
    return loaded


def installed_checklists(paths: Iterable[str | os.PathLike[str]]) -> dict[str, Checklist]:
    """The bundled checklist plus PSIF_CHECKLIST_FILES (a broken one stops start-up)."""
    default = load_default_checklist()
    return {default.id: default, **load_checklists(paths, {default.id: "the bundled checklist"})}


@cache
def load_default_checklist() -> Checklist:
    resource = resources.files(_DEFAULT_PACKAGE).joinpath(*_DEFAULT_RESOURCE)
    return parse_checklist(resource.read_text(encoding="utf-8"), "/".join(_DEFAULT_RESOURCE))


def _describe(error: ErrorDetails, root: yaml.Node | None, source: str) -> str:
    loc: tuple[str | int, ...] = tuple(error["loc"])
    context: dict[str, Any] = dict(error.get("ctx") or {})
    loc += tuple(context.get(ERROR_LOC_KEY, ()))
    reason = _FRIENDLY_MESSAGES.get(error["type"], error["msg"])
    if error["type"] == "string_type" and isinstance(error["input"], int | float):
        reason += " (put the value in quotes)"
    line = _line_of(root, loc)
    where = f", line {line}" if line is not None else ""
    path = f" ({format_loc(loc)})" if loc else ""
    return f"{source}{where}{path}: {reason}"


def _line_of(root: yaml.Node | None, loc: tuple[str | int, ...]) -> int | None:
    """The line of the key at ``loc``, or of its nearest existing ancestor (a missing field
    points at the mapping that lacks it)."""
    if root is None:
        return None
    node, line = root, root.start_mark.line + 1
    for item in loc:
        found = _child(node, item)
        if found is None:
            break
        marker, node = found
        line = marker.start_mark.line + 1
    return line


def _child(node: yaml.Node, item: str | int) -> tuple[yaml.Node, yaml.Node] | None:
    """(node to report, node to descend into) for ``item`` below ``node``, if present."""
    if isinstance(node, yaml.MappingNode) and isinstance(item, str):
        return next(
            ((k, v) for k, v in node.value if isinstance(k, yaml.ScalarNode) and k.value == item),
            None,
        )
    if isinstance(node, yaml.SequenceNode) and isinstance(item, int):
        if 0 <= item < len(node.value):
            return node.value[item], node.value[item]
        return None
    return None
