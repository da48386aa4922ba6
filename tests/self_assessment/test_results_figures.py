"""Results figures: written the one way (bot.core.figures), whole shares of everyone who
answered with their counts, adding up to 100."""

from __future__ import annotations

from bot.core.checklist import Answer
from bot.self_assessment._analysis import Tally
from bot.self_assessment.views import describe_tally


def tally(agree: int, disagree: int, dont_know: int) -> Tally:
    return Tally.of(
        [Answer.AGREE] * agree + [Answer.DISAGREE] * disagree + [Answer.DONT_KNOW] * dont_know
    )


def test_a_statement_counts_people_and_all_three_shares_add_up_to_100() -> None:
    # 27, 11 and 6 of 44 are 61.4%, 25% and 13.6%: the missing point goes to 13.6.
    assert describe_tally(tally(27, 11, 6)) == (
        "27 of 44 agree (61%) · 11 disagree (25%) · 6 don't know (14%)"
    )


def test_a_section_or_overall_counts_answers() -> None:
    # 1 of 8 is 12.5% and 7 of 8 is 87.5%: rounding both up alone would make 101.
    assert describe_tally(tally(1, 7, 0), pooled=True) == (
        "1 of 8 answers agree (13%) · 7 disagree (87%) · 0 don't know (0%)"
    )


def test_a_pool_of_withheld_statements_has_no_figures() -> None:
    assert describe_tally(tally(0, 0, 0)) == ("no figures (every statement was withheld)")
