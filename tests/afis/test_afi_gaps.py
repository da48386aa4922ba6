"""Imported AFIs name a gap: every checklist statement turned round reads as one."""

from __future__ import annotations

import pytest

from bot.afis._rules import negate
from bot.core.checklist_loader import load_default_checklist


@pytest.mark.parametrize(
    ("statement", "gap"),
    [
        (
            "Staff are asked for their ideas on how the service could be improved.",
            "Staff aren't asked for their ideas on how the service could be improved",
        ),
        (
            "The service measures customer satisfaction at least once a year.",
            "The service doesn't measure customer satisfaction at least once a year",
        ),
        ("Teams meet regularly.", "Teams don't meet regularly"),
        ("Leaders have set out a clear picture.", "Leaders haven't set out a clear picture"),
        (
            "Customer satisfaction has improved, or stayed high.",
            "Customer satisfaction hasn't improved, or stayed high",
        ),
        ("The service plan shows how.", "The service plan doesn't show how"),
        (
            "When performance falls short, managers agree and record action.",
            "Too few agree that when performance falls short, managers agree and record action",
        ),
    ],
)
def test_statements_become_gaps(statement: str, gap: str) -> None:
    assert negate(statement) == gap


def test_every_default_statement_reads_as_a_gap() -> None:
    checklist = load_default_checklist()
    for section in checklist.sections:
        for area in section.sub_areas:
            for statement in area.statements:
                gap = negate(statement.text)
                assert "n't " in gap or gap.startswith("Too few agree that "), gap
