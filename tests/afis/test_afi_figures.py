"""An imported AFI's wording stands alone; the figures it rests on are one context line."""

from __future__ import annotations

from bot.core.afis import afi_figures_line

COUNTS = {"strongly_agree": 0, "agree": 1, "disagree": 3, "strongly_disagree": 0}
STORED = {"respondents": 5, "counts": COUNTS, "pct_agree": 25.0}


def test_the_figures_line_counts_who_agreed_disagreed_and_did_not_know() -> None:
    figures = STORED | {"counts": COUNTS | {"dont_know": 1}}
    assert afi_figures_line("6.01", figures) == (
        "Self-assessment, statement 6.01: 1 of 5 agree (20%) · 3 disagree (60%) · "
        "1 doesn't know (20%)"
    )


def test_missing_answers_count_as_none() -> None:
    assert afi_figures_line("2.07", STORED) == (
        "Self-assessment, statement 2.07: 1 of 4 agree (25%) · 3 disagree (75%) · 0 don't know (0%)"
    )


def test_an_area_the_team_wrote_has_no_figures_line() -> None:
    assert afi_figures_line(None, {}) is None
    assert afi_figures_line(None, STORED) is None
    assert afi_figures_line("1.01", {}) is None


def test_the_figures_line_says_once_why_the_statement_was_flagged() -> None:
    figures = STORED | {"reasons": ["low agreement", "most disagreement"]}
    assert afi_figures_line("2.07", figures) == (
        "Self-assessment, statement 2.07: 1 of 4 agree (25%) · 3 disagree (75%) · "
        "0 don't know (0%); flagged for low agreement and most disagreement."
    )
