"""Links typed for the papers are split from their titles, and odd ones refused."""

from __future__ import annotations

import pytest

from bot.core.errors import Refusal
from bot.papers.service import split_link


def test_links_are_split_from_their_titles() -> None:
    assert split_link("Roads KPIs <https://x.example/kpi|x.example>") == (
        "Roads KPIs",
        "https://x.example/kpi",
    )
    assert split_link("Plan https://x.example/plan 2026") == ("Plan 2026", "https://x.example/plan")
    for text in ("No link here", "Odd https://x.example/a|b"):
        with pytest.raises(Refusal):
            split_link(text)
