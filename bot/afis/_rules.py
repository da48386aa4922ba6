"""What an AFI may say and when it repeats another, who may change one, the limits of a dot
vote, and ranking AFIs by votes with ties kept tied."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace

from rapidfuzz import fuzz

from bot.core.errors import Refusal
from bot.core.permissions import Operation, permits
from bot.core.roles import Role
from bot.core.votes import DEFAULT_TOP_N, CutOffTie, RankedAfi, VoteSettings

AFI_TEXT_MIN = 5
AFI_TEXT_MAX = 500
EVIDENCE_MAX = 1500

MAX_BUDGET = 10
MAX_TOP_N = 50
# Two AFIs say the same when, once normalised, the words they share make up most of each
# (rapidfuzz's token_set_ratio, 0-100) and neither says much more than the other
# (token_sort_ratio): "Staff do not know the service priorities" and "Staff aren't told the
# service's priorities" score 89 and 81; "Staff get no feedback" and "Staff don't get regular
# feedback on their performance" 92 but 56, and "Staff get no feedback" and "Staff get no
# training" 73. Being character-based, both forgive a misspelt word or a plural.
SHARED_WORDS_SIMILARITY = 85
WHOLE_TEXT_SIMILARITY = 75
# Contractions written out, so "aren't" and "are not" are the same words; a possessive "'s"
# ("the service's priorities") is dropped.
_CONTRACTIONS = (
    (re.compile(r"\bwon't\b"), "will not"),
    (re.compile(r"\bcan't\b|\bcannot\b"), "can not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'re\b"), " are"),
    (re.compile(r"'ve\b"), " have"),
    (re.compile(r"'ll\b"), " will"),
    (re.compile(r"'s\b"), ""),
)


def afi_text_problem(text: str) -> str | None:
    """Why the AFI text cannot be stored, in words a user can act on; None if it is fine."""
    length = len(text.strip())
    if length < AFI_TEXT_MIN:
        return (
            "Describe the area for improvement in a few words "
            f"(at least {AFI_TEXT_MIN} characters)."
        )
    if length > AFI_TEXT_MAX:
        return (
            f"Keep the area for improvement to {AFI_TEXT_MAX} characters (this is {length}); "
            "put the detail in the evidence field."
        )
    return None


def evidence_problem(evidence: str) -> str | None:
    length = len(evidence.strip())
    if length > EVIDENCE_MAX:
        return f"Keep the evidence to {EVIDENCE_MAX} characters (this is {length})."
    return None


def normalised_afi_text(text: str) -> str:
    """The words of an AFI, for comparing: case, punctuation, spacing and contractions set
    aside."""
    lowered = text.casefold().replace("’", "'")
    for contraction, written_out in _CONTRACTIONS:
        lowered = contraction.sub(written_out, lowered)
    return " ".join(re.findall(r"\w+", lowered))


def _similarity(wanted: str, other: str) -> float | None:
    """How alike two normalised AFIs are (higher is closer), or None if they differ: in
    wording, or in any number they name ("Area 1" is not "Area 10")."""
    if set(re.findall(r"\d+", wanted)) != set(re.findall(r"\d+", other)):
        return None
    shared = fuzz.token_set_ratio(wanted, other)
    whole = fuzz.token_sort_ratio(wanted, other)
    if shared < SHARED_WORDS_SIMILARITY or whole < WHOLE_TEXT_SIMILARITY:
        return None
    return shared + whole


def looks_like(text: str, existing: Iterable[tuple[int, str]]) -> int | None:
    """The number of the existing AFI (number, text) that `text` repeats or says again in
    other words (contractions, plurals, word order, a misspelling), the closest first; None
    if it is new."""
    wanted = normalised_afi_text(text)
    best: tuple[float, int] | None = None
    for number, other in existing:
        score = _similarity(wanted, normalised_afi_text(other))
        if score is not None and (best is None or score > best[0]):
            best = (score, number)
    return None if best is None else best[1]


def can_manage_afi(*, author_id: str, user_id: str, roles: set[Role]) -> bool:
    """Authors may always edit, merge or withdraw their own AFIs; the permission table says
    who may manage anyone's."""
    return user_id == author_id or permits(Operation.MANAGE_ANY_AFI, roles)


def vote_settings_problem(settings: VoteSettings) -> str | None:
    if not 1 <= settings.budget <= MAX_BUDGET:
        return f"Give each person between 1 and {MAX_BUDGET} votes."
    if not 1 <= settings.per_afi_cap <= settings.budget:
        return (
            "The most votes one person can put on one area can't be more than their "
            f"{settings.budget} {'vote' if settings.budget == 1 else 'votes'}."
        )
    return None


def parse_top_n(text: str) -> int:
    """`/afi close [N]`: the number to prioritise; a refusal saying what is wrong with it."""
    if not text.strip():
        return DEFAULT_TOP_N
    try:
        number = int(text.strip())
    except ValueError:
        raise Refusal(
            f"Type `/afi close` to prioritise the top {DEFAULT_TOP_N}, "
            "or for example `/afi close 3` for the top 3."
        ) from None
    if not 1 <= number <= MAX_TOP_N:
        raise Refusal(f"Choose how many to prioritise between 1 and {MAX_TOP_N}.")
    return number


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
        tied = counts[votes] > 1
        ranked.append(RankedAfi(number, votes, rank, tied, votes > 0 and rank <= top_n))
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


def settle_tie(
    totals: Iterable[tuple[int, int]], *, places: int, from_rank: int = 1
) -> list[RankedAfi]:
    """A tie-break round's ranking of the tied AFIs, ranked on from the tied rank ("=3rd"
    becomes 3rd, 4th …): the top `places` go forward. Unlike a vote, an AFI needs no votes
    to go forward: if the tie-break is tied again (nobody voted, say), all the tied AFIs
    stay prioritised, as they were."""
    return [
        replace(entry, rank=from_rank + entry.rank - 1, prioritised=entry.rank <= places)
        for entry in rank_afis(totals, top_n=places)
    ]
