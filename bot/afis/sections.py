"""The PSIF sections an AFI can relate to."""

from __future__ import annotations

from functools import cache

from bot.self_assessment.checklist import load_default_checklist


@cache
def psif_sections() -> dict[int, str]:
    """Section number → title, from the bundled PSIF checklist."""
    return {section.number: section.title for section in load_default_checklist().sections}
