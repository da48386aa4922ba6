"""Rank AFIs by votes with ties kept tied, and choose the prioritised ones."""

from __future__ import annotations

from collections.abc import Iterable

from bot.core.votes import CutOffTie, RankedAfi


def rank_afis(totals: Iterable[tuple[int, int]], *, top_n: int) -> list[RankedAfi]:
    """Standard competition ranking ("1, 2, 2, 4") of (AFI number, votes) pairs.

    AFIs tied on votes share a rank and are shown as tied. Prioritised: every AFI with at
    least one vote whose rank is within the top `top_n`, so a tie at the cut-off takes all
    the tied AFIs rather than choosing among them arbitrarily.
    """
    ordered = sorted(totals, key=lambda pair: (-pair[1], pair[0]))
    counts: dict[int, int] = {}
    for _, votes in ordered:
        counts[votes] = counts.get(votes, 0) + 1
    ranked: list[RankedAfi] = []
    rank = 0
    previous: int | None = None
    for position, (number, votes) in enumerate(ordered, start=1):
        if votes != previous:
            rank, previous = position, votes
        ranked.append(
            RankedAfi(
                number=number,
                votes=votes,
                rank=rank,
                tied=counts[votes] > 1,
                prioritised=votes > 0 and rank <= top_n,
            )
        )
    return ranked


def ordinal(number: int) -> str:
    """'1st', '2nd', '3rd', '11th', '22nd'."""
    if 10 <= number % 100 <= 20:
        suffix = "th"
    else:
        suffix = {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def cut_off_tie(ranked: list[RankedAfi], *, top_n: int) -> CutOffTie | None:
    """The tie that made more than `top_n` AFIs prioritised, if there is one."""
    prioritised = [entry for entry in ranked if entry.prioritised]
    if len(prioritised) <= top_n:
        return None
    rank = prioritised[-1].rank
    numbers = tuple(entry.number for entry in prioritised if entry.rank == rank)
    return CutOffTie(rank=rank, places=top_n - (rank - 1), numbers=numbers)


def settle_tie(totals: Iterable[tuple[int, int]], *, places: int) -> list[RankedAfi]:
    """A tie-break round's ranking of the tied AFIs: the top `places` go forward. Unlike a
    vote, an AFI needs no votes to go forward: if the tie-break is tied again (nobody voted,
    say), all the tied AFIs stay prioritised, as they were."""
    ranked = rank_afis(totals, top_n=places)
    return [
        RankedAfi(entry.number, entry.votes, entry.rank, entry.tied, entry.rank <= places)
        for entry in ranked
    ]
