"""Improvement actions: the plan agreed in the improvement-planning session (guidance 5.3).

Plain rules with no Slack and no database: statuses and the moves between them, who may
change an action, what counts as overdue, how a plan is grouped by area for improvement.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.actions import ActionItem, ActionStatus, AfiRef, RagStatus
from bot.core.permissions import Operation, permits
from bot.core.roles import Role

# Where each status may move to. Finished actions can be reopened if the team changes its mind.
MOVES: dict[ActionStatus, frozenset[ActionStatus]] = {
    ActionStatus.OPEN: frozenset(
        {ActionStatus.IN_PROGRESS, ActionStatus.DONE, ActionStatus.DROPPED}
    ),
    ActionStatus.IN_PROGRESS: frozenset(
        {ActionStatus.OPEN, ActionStatus.DONE, ActionStatus.DROPPED}
    ),
    ActionStatus.DONE: frozenset({ActionStatus.OPEN}),
    ActionStatus.DROPPED: frozenset({ActionStatus.OPEN}),
}


KEY_ACTION_MAX = 1000
ACTION_NUMBER_DIGITS = 6  # no review has a million actions
DETAIL_MAX = 1500
DROP_REASON_MAX = 500
NOTE_MAX = 1500


def can_move(current: ActionStatus, target: ActionStatus) -> bool:
    return target in MOVES[current]


def may_manage(user_id: str, *, owner_id: str, roles: Iterable[Role]) -> bool:
    """The owner may always change their action; the permission table says who else may."""
    return user_id == owner_id or permits(Operation.MANAGE_ANY_ACTION, roles)


class ListFilter(StrEnum):
    OPEN = "open"
    MINE = "mine"
    OVERDUE = "overdue"
    ALL = "all"


LIST_TITLES: dict[ListFilter, str] = {
    ListFilter.OPEN: "Open actions",
    ListFilter.MINE: "Your actions",
    ListFilter.OVERDUE: "Overdue actions",
    ListFilter.ALL: "All actions",
}


def parse_list_filter(word: str) -> ListFilter | None:
    """'' → open; 'mine', 'overdue', 'all' (any case); anything else → None."""
    cleaned = word.strip().lower()
    if not cleaned:
        return ListFilter.OPEN
    try:
        return ListFilter(cleaned)
    except ValueError:
        return None


def parse_action_number(text: str) -> int | None:
    """'3' or '#3' → 3; anything else (other digits, more than a review could hold) → None."""
    cleaned = text.strip().removeprefix("#")
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > ACTION_NUMBER_DIGITS:
        return None
    return int(cleaned)


@dataclass(frozen=True)
class ProgressWords:
    """`/action progress 3 amber Waiting for the quote`: the number, the RAG status, the note."""

    number: int
    rag: RagStatus | None
    note: str


def parse_progress_words(text: str) -> ProgressWords | None:
    """The action number first, then a RAG status word if any (any case), then the note;
    None without a readable number."""
    first, _, rest = text.strip().partition(" ")
    number = parse_action_number(first)
    if number is None:
        return None
    word, _, after = rest.strip().partition(" ")
    try:
        return ProgressWords(number, RagStatus(word.lower()), after.strip())
    except ValueError:
        return ProgressWords(number, None, rest.strip())


def select_actions(
    items: Iterable[ActionItem], which: ListFilter, *, user_id: str, today: date
) -> list[ActionItem]:
    if which is ListFilter.ALL:
        return list(items)
    if which is ListFilter.MINE:
        return [item for item in items if item.owner_id == user_id]
    if which is ListFilter.OVERDUE:
        return [item for item in items if item.overdue(today)]
    return [item for item in items if item.unfinished]


@dataclass(frozen=True)
class AfiGroup:
    """Actions under one area for improvement (afi None: not linked to an AFI)."""

    afi: AfiRef | None
    actions: tuple[ActionItem, ...]


def _group_order(afi: AfiRef | None) -> tuple[int, int, int]:
    if afi is None:
        return (2, 0, 0)
    if afi.prioritised:
        return (0, afi.rank if afi.rank is not None else afi.number, afi.number)
    return (1, afi.number, 0)


def group_by_afi(items: Iterable[ActionItem]) -> list[AfiGroup]:
    """Prioritised AFIs by rank, then other AFIs by number, then unlinked actions;
    actions within a group by number."""
    groups: dict[int | None, list[ActionItem]] = {}
    refs: dict[int | None, AfiRef | None] = {}
    for item in items:
        key = item.afi.id if item.afi else None
        groups.setdefault(key, []).append(item)
        refs[key] = item.afi
    ordered = sorted(groups, key=lambda key: _group_order(refs[key]))
    return [
        AfiGroup(refs[key], tuple(sorted(groups[key], key=lambda item: item.number)))
        for key in ordered
    ]


def overdue_first(items: Iterable[ActionItem], *, today: date) -> list[ActionItem]:
    """Overdue first, then unfinished by due date, then finished ones."""
    return sorted(
        items,
        key=lambda item: (not item.overdue(today), not item.unfinished, item.due, item.number),
    )
