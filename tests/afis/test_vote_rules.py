"""The vote's pure rules: the one-button toggle, the tie at the cut-off and its settling."""

from __future__ import annotations

from bot.afis._rules import cut_off_tie, rank_afis, settle_tie
from bot.core.votes import CutOffTie, ToggleEffect, toggle_effect


def test_a_press_adds_while_it_can_then_takes_back_and_says_when_nothing_is_left() -> None:
    assert toggle_effect(used=0, on_afi=0, budget=3, cap=1) is ToggleEffect.ADD
    assert toggle_effect(used=1, on_afi=1, budget=3, cap=1) is ToggleEffect.TAKE_BACK
    assert toggle_effect(used=1, on_afi=1, budget=3, cap=2) is ToggleEffect.ADD
    assert toggle_effect(used=3, on_afi=1, budget=3, cap=2) is ToggleEffect.TAKE_BACK
    assert toggle_effect(used=3, on_afi=0, budget=3, cap=2) is ToggleEffect.NONE_LEFT


def test_a_tie_straddling_the_cut_off_is_found_with_the_places_left() -> None:
    ranked = rank_afis([(1, 5), (2, 4), (3, 2), (4, 2), (5, 2), (6, 0)], top_n=3)
    assert cut_off_tie(ranked, top_n=3) == CutOffTie(rank=3, places=1, numbers=(3, 4, 5))
    assert cut_off_tie(rank_afis([(1, 5), (2, 4), (3, 2), (4, 1)], top_n=3), top_n=3) is None
    # A tie within the top N is no problem.
    assert cut_off_tie(rank_afis([(1, 5), (2, 5), (3, 2)], top_n=3), top_n=3) is None


def test_a_tie_break_keeps_its_winners_and_a_tie_again_keeps_them_all() -> None:
    settled = settle_tie([(3, 1), (4, 2), (5, 0)], places=1)
    assert [(entry.number, entry.prioritised) for entry in settled] == [
        (4, True),
        (3, False),
        (5, False),
    ]
    nobody_voted = settle_tie([(3, 0), (4, 0)], places=1)
    assert all(entry.prioritised for entry in nobody_voted)
