"""Typed dates in the forms people use in the UK, and a few phrases."""

from __future__ import annotations

from datetime import date

import pytest

from bot.core.typed_dates import parse_typed_date

TODAY = date(2026, 12, 2)  # a Wednesday


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("2026-12-31", date(2026, 12, 31)),
        ("31/12/2026", date(2026, 12, 31)),
        ("31 Dec 2026", date(2026, 12, 31)),
        ("31 December 2026", date(2026, 12, 31)),
        ("Thursday 31st December, 2026", date(2026, 12, 31)),
        ("3 March", date(2027, 3, 3)),
        ("31 Dec", date(2026, 12, 31)),
        ("today", TODAY),
        ("tomorrow", date(2026, 12, 3)),
        ("Monday", date(2026, 12, 7)),
        ("next wednesday", date(2026, 12, 9)),
        ("next week", date(2026, 12, 9)),
    ],
)
def test_uk_forms_and_phrases(typed: str, meant: date) -> None:
    assert parse_typed_date(typed, today=TODAY) == meant


@pytest.mark.parametrize("typed", ["", "31/13/2026", "soon", "2026-02-30", "12/31/2026"])
def test_what_is_not_a_date(typed: str) -> None:
    assert parse_typed_date(typed, today=TODAY) is None
