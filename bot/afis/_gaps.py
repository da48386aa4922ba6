"""An imported AFI names a gap: the checklist statement (good practice) turned round, its
figures stored beside it. Negation covers the checklists' shapes (an auxiliary, or a present-
tense verb after a singular or plural subject); anything else becomes "Too few agree that …"."""

from __future__ import annotations

from typing import Any

from bot.self_assessment.service import AfiCandidate, round_pct
from bot.self_assessment.views import describe_tally
from bot.slack.text import join_words

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
