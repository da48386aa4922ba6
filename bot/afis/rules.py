"""What an AFI may say, and the limits of a dot vote."""

from __future__ import annotations

import re
from collections.abc import Iterable
from difflib import SequenceMatcher

from bot.core.afis import AfiItem
from bot.core.permissions import Operation, permits
from bot.core.roles import Role
from bot.core.votes import DEFAULT_TOP_N, VoteSettings

AFI_TEXT_MIN = 5
AFI_TEXT_MAX = 500
EVIDENCE_MAX = 1500

MAX_BUDGET = 10
MAX_TOP_N = 50
# How alike two AFIs' words must be (difflib's ratio over the normalised words) to ask "add
# anyway?": a word added, dropped or misspelt in eight asks; "Staff get no feedback" and
# "Staff get no training", or "Area 1" and "Area 10", pass unasked.
DUPLICATE_SIMILARITY = 0.85


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


def normalised_afi_text(text: str) -> str:
    """The words of an AFI, for comparing: case, punctuation and spacing set aside."""
    return " ".join(re.findall(r"\w+", text.casefold().replace("’", "'").replace("'", "")))


def looks_like(text: str, existing: Iterable[tuple[int, str]]) -> int | None:
    """The number of the existing AFI (number, text) that `text` repeats or nearly repeats,
    the closest first; None if it is new."""
    wanted = normalised_afi_text(text).split()
    best: tuple[float, int] | None = None
    for number, other in existing:
        ratio = SequenceMatcher(None, wanted, normalised_afi_text(other).split()).ratio()
        if ratio >= DUPLICATE_SIMILARITY and (best is None or ratio > best[0]):
            best = (ratio, number)
    return None if best is None else best[1]


def evidence_problem(evidence: str) -> str | None:
    length = len(evidence.strip())
    if length > EVIDENCE_MAX:
        return f"Keep the evidence to {EVIDENCE_MAX} characters (this is {length})."
    return None


def vote_settings_problem(settings: VoteSettings) -> str | None:
    if not 1 <= settings.budget <= MAX_BUDGET:
        return f"Give each person between 1 and {MAX_BUDGET} votes."
    if not 1 <= settings.per_afi_cap <= settings.budget:
        return (
            "The most votes one person can put on one area can't be more than their "
            f"{settings.budget} {'vote' if settings.budget == 1 else 'votes'}."
        )
    return None


def can_manage_afi(*, author_id: str, user_id: str, roles: set[Role]) -> bool:
    """Authors may always edit, merge or withdraw their own AFIs; the permission table says
    who may manage anyone's."""
    return user_id == author_id or permits(Operation.MANAGE_ANY_AFI, roles)


def manageable_ids(items: Iterable[AfiItem], user_id: str, roles: set[Role]) -> set[int]:
    """The AFIs the user may edit, merge or withdraw."""
    return {
        item.id
        for item in items
        if can_manage_afi(author_id=item.author_id, user_id=user_id, roles=roles)
    }


def parse_top_n(text: str) -> int | str:
    """`/afi close [N]`: the number to prioritise, or what is wrong with the text."""
    if not text.strip():
        return DEFAULT_TOP_N
    try:
        number = int(text.strip())
    except ValueError:
        return (
            f"Type `/afi close` to prioritise the top {DEFAULT_TOP_N}, "
            "or for example `/afi close 3` for the top 3."
        )
    if not 1 <= number <= MAX_TOP_N:
        return f"Choose how many to prioritise between 1 and {MAX_TOP_N}."
    return number
