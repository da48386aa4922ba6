"""Which new AFI texts repeat one already listed."""

from __future__ import annotations

from bot.afis._rules import looks_like, normalised_afi_text

LISTED = [
    (1, "Staff don't get regular feedback on their performance"),
    (2, "Staff get no training on new equipment"),
    (3, "Partners are not told about changes to the plan"),
]


def test_case_punctuation_and_spacing_do_not_make_a_new_area() -> None:
    assert normalised_afi_text("  Staff DON’T   get feedback! ") == "staff dont get feedback"
    assert looks_like("staff don’t get regular feedback on their performance!!", LISTED) == 1


def test_a_near_repeat_names_the_closest_area() -> None:
    assert looks_like("Partners are not told about changes in the plan", LISTED) == 3
    assert looks_like("Staff get no training on the new equipment", LISTED) == 2
    assert looks_like("Staff don't get regular feedbak on their performance", LISTED) == 1


def test_a_different_area_is_new() -> None:
    assert looks_like("Residents are not consulted about road closures", LISTED) is None
    assert looks_like("Area 10", [(1, "Area 1")]) is None
    assert looks_like("Staff get no feedback", LISTED) is None
    assert looks_like("Anything at all", []) is None
