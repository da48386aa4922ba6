"""The one way a figure is written: whole percentages of those who answered, with counts,
always adding up to 100%."""

from hypothesis import given
from hypothesis import strategies as st

from bot.core.figures import Figures, whole_percentages, with_agreement

counts = st.integers(min_value=0, max_value=100_000)


@given(st.lists(counts, min_size=1, max_size=8))
def test_whole_percentages_add_up_to_100_whenever_anyone_answered(values: list[int]) -> None:
    shares = whole_percentages(values)
    assert len(shares) == len(values)
    assert sum(shares) == (100 if sum(values) else 0)


@given(st.lists(counts, min_size=1, max_size=8))
def test_each_whole_percentage_is_its_exact_share_rounded_down_or_up(values: list[int]) -> None:
    total = sum(values)
    for value, share in zip(values, whole_percentages(values), strict=True):
        exact = value * 100 / total if total else 0
        assert share - 1 < exact < share + 1 or exact == share


@given(counts, counts, counts)
def test_a_figure_line_shows_the_counts_and_percentages_adding_up(
    agree: int, disagree: int, dont_know: int
) -> None:
    figures = Figures(agree, disagree, dont_know)
    line = figures.line()
    if not figures.answered:
        assert line == "nobody answered"
        return
    assert line.startswith(f"{agree:,} of {agree + disagree + dont_know:,} agree (")
    assert f"{disagree:,} disagree" in line
    assert f" {dont_know:,} do" in line  # "don't know", or "doesn't know" for one
    assert sum(figures.percentages) == 100
    assert line.count("%") == 3


def test_the_example_reads_as_people_read_it() -> None:
    assert Figures(12, 5, 3).line() == (
        "12 of 20 agree (60%) · 5 disagree (25%) · 3 don't know (15%)"
    )
    assert Figures(3, 1, 1).line() == (
        "3 of 5 agree (60%) · 1 disagrees (20%) · 1 doesn't know (20%)"
    )
    assert Figures(0, 4, 0).agreement() == "0 of 4 agree (0%)"


def test_thirds_are_rounded_to_a_whole_100_not_99() -> None:
    assert Figures(1, 1, 1).percentages == (34, 33, 33)
    assert Figures(2, 1, 0).percentages == (67, 33, 0)


def test_pooled_figures_name_what_was_counted() -> None:
    assert Figures(1200, 500, 300).line(unit="answers") == (
        "1,200 of 2,000 answers agree (60%) · 500 disagree (25%) · 300 don't know (15%)"
    )


def test_a_strength_reads_with_its_agreement_after_a_dash_not_in_nested_brackets() -> None:
    assert with_agreement("Staff are involved in decisions.", Figures(7, 1, 0)) == (
        "Staff are involved in decisions — 7 of 8 agree (88%)"
    )
