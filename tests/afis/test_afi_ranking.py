"""Ranking AFIs by votes: ties stay tied, prioritisation takes every AFI tied at the cut."""

from __future__ import annotations

import pytest

from bot.afis._rules import afi_text_problem, ordinal, parse_top_n, rank_afis, vote_settings_problem
from bot.core.errors import Refusal
from bot.core.votes import VoteSettings


def test_tied_afis_share_a_rank_and_the_next_rank_skips() -> None:
    ranked = rank_afis([(1, 2), (2, 5), (3, 2), (4, 0)], top_n=5)
    assert [(r.number, r.rank, r.tied) for r in ranked] == [
        (2, 1, False),
        (1, 2, True),
        (3, 2, True),
        (4, 4, False),
    ]


def test_a_tie_at_the_cut_off_prioritises_all_the_tied_afis() -> None:
    ranked = rank_afis([(1, 3), (2, 2), (3, 2), (4, 1)], top_n=2)
    assert [r.number for r in ranked if r.prioritised] == [1, 2, 3]


def test_afis_without_votes_are_never_prioritised() -> None:
    ranked = rank_afis([(1, 1), (2, 0), (3, 0)], top_n=5)
    assert [r.number for r in ranked if r.prioritised] == [1]


def test_ordinals_read_naturally() -> None:
    assert [ordinal(n) for n in (1, 2, 3, 4, 11, 12, 13, 21, 22, 101)] == [
        "1st",
        "2nd",
        "3rd",
        "4th",
        "11th",
        "12th",
        "13th",
        "21st",
        "22nd",
        "101st",
    ]


def test_afi_text_and_vote_settings_have_clear_limits() -> None:
    assert afi_text_problem("ok") is not None
    assert afi_text_problem("Staff get little feedback") is None
    assert "500" in (afi_text_problem("x" * 501) or "")
    assert vote_settings_problem(VoteSettings(budget=3, per_afi_cap=4)) is not None
    assert vote_settings_problem(VoteSettings(budget=3, per_afi_cap=3)) is None
    assert parse_top_n("") == 5 and parse_top_n(" 3 ") == 3
    for wrong in ("0", "top"):  # refused, saying what to type
        with pytest.raises(Refusal):
            parse_top_n(wrong)
