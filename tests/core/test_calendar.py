"""Date ranges say each part once."""

from __future__ import annotations

from datetime import date

from bot.core.calendar import format_date_range


def test_a_range_names_its_month_and_year_once() -> None:
    assert format_date_range(date(2027, 3, 3), date(2027, 3, 5)) == "3 to 5 March 2027"
    assert format_date_range(date(2027, 1, 18), date(2027, 1, 24)) == "18 to 24 January 2027"


def test_a_range_across_months_or_years_names_what_differs() -> None:
    assert format_date_range(date(2027, 2, 28), date(2027, 3, 3)) == "28 February to 3 March 2027"
    assert format_date_range(date(2026, 12, 28), date(2027, 1, 3)) == (
        "28 December 2026 to 3 January 2027"
    )


def test_one_day_is_just_that_day() -> None:
    assert format_date_range(date(2027, 3, 3), date(2027, 3, 3)) == "3 March 2027"
