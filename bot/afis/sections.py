"""The PSIF sections an AFI can relate to: those of the review's own checklist."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache

from bot.core.checklist import Checklist
from bot.core.checklist_loader import load_default_checklist


@cache
def psif_sections() -> dict[int, str]:
    """Section number → title, from the bundled PSIF checklist."""
    return {section.number: section.title for section in load_default_checklist().sections}


def sections_of(checklists: Mapping[str, Checklist], checklist_id: str | None) -> dict[int, str]:
    """Section number → title of the review's checklist (a checklist may put Leadership
    first); the bundled checklist's if that one isn't installed."""
    checklist = checklists.get(checklist_id or "")
    if checklist is None:
        return psif_sections()
    return {section.number: section.title for section in checklist.sections}
