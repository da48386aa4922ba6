"""Results figures: whole numbers with their counts, agree and disagree adding to 100."""

from __future__ import annotations

from bot.core.checklist import Answer
from bot.self_assessment._analysis import Tally
from bot.self_assessment.views import describe_tally


def tally(agree: int, disagree: int, dont_know: int) -> Tally:
    return Tally.of(
        [Answer.AGREE] * agree + [Answer.DISAGREE] * disagree + [Answer.DONT_KNOW] * dont_know
    )


def test_whole_numbers_with_counts_and_dont_know_apart() -> None:
    assert describe_tally(tally(27, 11, 6)) == (
        "71% agree, 29% disagree (of 38 views); 14% don't know"
    )


def test_agree_and_disagree_never_add_to_more_than_100_by_rounding() -> None:
    # 1 of 8 is 12.5% and 7 of 8 is 87.5%: each rounds up alone.
    assert describe_tally(tally(1, 7, 0)) == "13% agree, 87% disagree (of 8 views)"


def test_a_pool_of_withheld_statements_has_no_figures() -> None:
    assert describe_tally(tally(0, 0, 0)) == (
        "no figures (every statement had too few answers or views)"
    )
