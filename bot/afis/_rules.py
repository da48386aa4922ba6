"""What an AFI may say and when it repeats another, who may change one, the limits of a dot
vote, and ranking AFIs by votes with ties kept tied.

An imported AFI names a gap: the checklist statement (good practice) turned round, its
figures stored beside it. Negation covers the checklists' shapes (an auxiliary, or a present-
tense verb after a singular or plural subject); anything else becomes "Too few agree that …".
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable
from dataclasses import replace
from functools import lru_cache
from typing import Any

from bot.core.errors import Refusal
from bot.core.permissions import Operation, permits
from bot.core.roles import Role
from bot.core.votes import DEFAULT_TOP_N, CutOffTie, RankedAfi, VoteSettings
from bot.self_assessment.service import AfiCandidate, round_pct
from bot.self_assessment.views import describe_tally
from bot.slack.text import join_words

AFI_TEXT_MIN = 5
AFI_TEXT_MAX = 500
EVIDENCE_MAX = 1500

MAX_BUDGET = 10
MAX_TOP_N = 50
# Two AFIs say the same when the words they share make up most of each (token_set_ratio) and
# neither says much more (token_sort_ratio): "Staff get no feedback" and "Staff don't get
# regular feedback on their performance" score 92 but 56. Both forgive a misspelling or plural.
SHARED_WORDS_SIMILARITY = 85
WHOLE_TEXT_SIMILARITY = 75
# Contractions written out ("aren't" is "are not"); a possessive "'s" is dropped.
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
    if (length := len(evidence.strip())) > EVIDENCE_MAX:
        return f"Keep the evidence to {EVIDENCE_MAX} characters (this is {length})."
    return None


def normalised_afi_text(text: str) -> str:
    """For comparing: case, punctuation, spacing and contractions set aside."""
    lowered = text.casefold().replace("’", "'")
    for contraction, written_out in _CONTRACTIONS:
        lowered = contraction.sub(written_out, lowered)
    return " ".join(re.findall(r"\w+", lowered))


# Kept per process: adding an AFI compares it with every active one in the review, and their
# texts rarely change, so each is prepared once rather than on every add.
@lru_cache(maxsize=8192)
def _comparable(text: str) -> tuple[str, frozenset[str]]:
    """The text normalised, and the numbers in it."""
    normalised = normalised_afi_text(text)
    return normalised, frozenset(re.findall(r"\d+", normalised))


def numbers_in(text: str) -> frozenset[str]:
    """The numbers an AFI repeating this one must have ("Area 1" and "Area 10" differ)."""
    return _comparable(text)[1]


def looks_like(text: str, existing: Iterable[tuple[int, str]]) -> int | None:
    """The number of the closest existing AFI (number, text) that `text` says again, if any:
    both its shared words (token_set_ratio) and its whole wording (token_sort_ratio) close,
    and the same numbers in it ("Area 1", "Area 10" differ)."""
    from rapidfuzz import fuzz, process  # here: ~4 MiB that only adding or editing needs

    listed = list(existing)
    wanted, digits = _comparable(text)
    others = [_comparable(other) for _, other in listed]
    # The whole-wording ratio over every AFI in one call in C; the rest only for those close.
    close = process.extract(
        wanted,
        [other for other, _ in others],
        scorer=fuzz.token_sort_ratio,
        score_cutoff=WHOLE_TEXT_SIMILARITY,
        limit=None,
    )
    best: tuple[float, int] | None = None
    for other, whole, index in sorted(close, key=lambda found: found[2]):
        if others[index][1] != digits:
            continue
        shared = fuzz.token_set_ratio(wanted, other)
        if shared >= SHARED_WORDS_SIMILARITY and (best is None or shared + whole > best[0]):
            best = (shared + whole, listed[index][0])
    return None if best is None else best[1]


def can_manage_afi(*, author_id: str, user_id: str, roles: set[Role]) -> bool:
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
    """Competition ranking ("1, 2, 2, 4") of (AFI number, votes): prioritised is every AFI
    with a vote ranked within `top_n`, so a tie at the cut-off takes all the tied AFIs."""
    ordered = sorted(totals, key=lambda pair: (-pair[1], pair[0]))
    counts = Counter(votes for _, votes in ordered)
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
    teen = 10 <= number % 100 <= 20
    suffix = "th" if teen else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    return f"{number}{suffix}"


def cut_off_tie(ranked: list[RankedAfi], *, top_n: int) -> CutOffTie | None:
    prioritised = [entry for entry in ranked if entry.prioritised]
    if len(prioritised) <= top_n:
        return None
    rank = prioritised[-1].rank
    numbers = tuple(entry.number for entry in prioritised if entry.rank == rank)
    return CutOffTie(rank=rank, places=top_n - (rank - 1), numbers=numbers)


def settle_tie(
    totals: Iterable[tuple[int, int]], *, places: int, from_rank: int = 1
) -> list[RankedAfi]:
    """A tie-break's ranking, on from the tied rank ("=3rd" becomes 3rd, 4th …): the top
    `places` go forward, with or without votes; tied again, all stay prioritised."""
    return [
        replace(entry, rank=from_rank + entry.rank - 1, prioritised=entry.rank <= places)
        for entry in rank_afis(totals, top_n=places)
    ]


# The first auxiliary in a statement, negated in place.
_AUXILIARIES = {
    "are": "aren't",
    "is": "isn't",
    "can": "can't",
    "has": "doesn't have",
    "have": "don't have",
    "do": "don't",
    "does": "doesn't",
    "will": "won't",
}
# Singular subjects the checklists open with (longest first): the verb follows them.
_SINGULAR_SUBJECTS = (
    "the service plan",
    "the service",
    "every member of staff",
    "each key partnership",
)
# Present-tense verbs after a plural subject ("Staff know", "Leaders plan").
_PLURAL_VERBS = {
    "know", "meet", "plan", "keep", "work", "explain", "behave", "encourage", "monitor",
    "recognise", "receive", "find", "compare", "lead", "draw", "get", "act", "help",
}  # fmt: skip


def _base_form(verb: str) -> str:
    if verb.endswith("ies"):
        return verb[:-3] + "y"
    if verb.endswith(("sses", "shes", "ches", "xes")):
        return verb[:-2]
    return verb[:-1] if verb.endswith("s") else verb


def negate(statement: str) -> str:
    """The statement as a gap: "Staff are asked …" -> "Staff aren't asked …"."""
    words = statement.strip().rstrip(".").split(" ")
    lowered = [word.lower() for word in words]
    opening = " ".join(lowered) + " "
    singular_verb_at = next(
        (len(s.split(" ")) for s in _SINGULAR_SUBJECTS if opening.startswith(s + " ")), None
    )
    # Only the main verb is turned round, so only the first few words are looked at.
    for index, word in enumerate(lowered[1:7], start=1):
        following = lowered[index + 1].rstrip(",;") if index + 1 < len(lowered) else ""
        if word in ("has", "have") and (following.endswith("ed") or following == "set"):
            negated = "hasn't" if word == "has" else "haven't"
        elif word in _AUXILIARIES:
            negated = _AUXILIARIES[word]
        elif index == singular_verb_at and word.endswith("s"):
            negated = "doesn't " + _base_form(word)
        elif singular_verb_at is None and word in _PLURAL_VERBS:
            negated = "don't " + word
        else:
            continue
        return " ".join([*words[:index], negated, *words[index + 1 :]])
    sentence = " ".join(words)
    return "Too few agree that " + sentence[0].lower() + sentence[1:]


def gap_text(candidate: AfiCandidate) -> str:
    return negate(candidate.result.statement.text)


def figures_of(candidate: AfiCandidate) -> dict[str, Any]:
    tally = candidate.result.tally
    return {
        "respondents": candidate.result.respondents,
        "counts": {answer.value: count for answer, count in tally.counts.items()},
        "pct_agree": round_pct(tally.pct_agree),
        "pct_disagree": round_pct(tally.pct_disagree),
        "pct_dont_know": round_pct(tally.pct_dont_know),
        "reasons": [reason.value for reason in candidate.reasons],
    }


def why_flagged(candidate: AfiCandidate) -> str:
    """ "0% agree of 7; flagged for low agreement.", as the import form shows it."""
    reasons = join_words([reason.value for reason in candidate.reasons])
    return f"{describe_tally(candidate.result.tally)}; flagged for {reasons}."
