"""Which AFI each AFI counts as now, from what each was merged into."""

from __future__ import annotations

from storage.repositories.afis import current_ids


def test_an_afi_not_merged_counts_as_itself() -> None:
    assert current_ids({1: None, 2: None}) == {1: 1, 2: 2}


def test_a_chain_of_merges_is_followed_to_its_end() -> None:
    assert current_ids({1: 2, 2: 3, 3: None}) == {1: 3, 2: 3, 3: 3}


def test_a_merge_into_an_afi_of_another_review_or_a_loop_stops_where_it_is() -> None:
    assert current_ids({1: 99}) == {1: 1}
    assert current_ids({1: 2, 2: 1}) == {1: 2, 2: 1}
