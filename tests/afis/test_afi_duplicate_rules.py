"""Which new AFI texts repeat one already listed, in the same or other words."""

from __future__ import annotations

from random import Random

from hypothesis import given
from hypothesis import strategies as st

from bot.afis._rules import looks_like, normalised_afi_text

LISTED = [
    (1, "Staff don't get regular feedback on their performance"),
    (2, "Staff get no training on new equipment"),
    (3, "Partners are not told about changes to the plan"),
    (4, "Staff do not know the service priorities"),
]


def test_case_punctuation_spacing_and_contractions_do_not_make_a_new_area() -> None:
    assert normalised_afi_text("  Staff DON’T   get feedback! ") == "staff do not get feedback"
    assert (
        normalised_afi_text("The service's staff aren't told") == "the service staff are not told"
    )
    assert looks_like("staff don’t get regular feedback on their performance!!", LISTED) == 1


def test_the_same_area_in_other_words_is_asked_about() -> None:
    assert looks_like("Staff aren't told the service's priorities", LISTED) == 4
    assert looks_like("The service priorities: staff don't know them", LISTED) == 4


def test_a_near_repeat_names_the_closest_area() -> None:
    assert looks_like("Partners are not told about changes in the plan", LISTED) == 3
    assert looks_like("Staff get no training on the new equipment", LISTED) == 2
    assert looks_like("Staff don't get regular feedbak on their performance", LISTED) == 1
    assert looks_like("Partners aren't told about changes to plans", LISTED) == 3


def test_a_different_area_is_new() -> None:
    assert looks_like("Residents are not consulted about road closures", LISTED) is None
    assert looks_like("Area 10", [(1, "Area 1")]) is None
    assert looks_like("Staff get no feedback", LISTED) is None
    assert looks_like("Staff do not know the budget", LISTED) is None
    assert looks_like("Roads", [(1, "Roads are poor and staff don't know the priorities")]) is None
    assert looks_like("Anything at all", []) is None


# Two vocabularies with no word in common: areas written from one never repeat the other's.
ROADS = ("roads", "potholes", "gritting", "winter", "pavements", "repairs", "defects", "lighting")
PEOPLE = ("staff", "training", "feedback", "appraisals", "managers", "induction", "teams", "pay")


def words(vocabulary: tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(vocabulary), min_size=3, max_size=8, unique=True)


@given(words(ROADS), words(PEOPLE))
def test_areas_about_different_things_are_never_taken_for_each_other(
    roads: list[str], people: list[str]
) -> None:
    assert looks_like(" ".join(roads), [(1, " ".join(people))]) is None


@given(words(ROADS + PEOPLE), st.randoms(use_true_random=False), st.booleans())
def test_the_same_words_reordered_recased_or_contracted_are_a_repeat(
    chosen: list[str], shuffler: Random, shout: bool
) -> None:
    listed = "They do not " + " ".join(chosen)
    reworded = list(chosen)
    shuffler.shuffle(reworded)
    typed = "They don't " + ", ".join(reworded) + "!"
    assert looks_like(typed.upper() if shout else typed, [(7, listed)]) == 7
