"""Improvement actions' rules (guidance 5.3), no Slack or database: status moves, who may
change an action, text lengths, list filters and grouping by area for improvement."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.actions import UNFINISHED, ActionItem, ActionStatus, AfiRef
from bot.core.permissions import Operation, permits
from bot.core.roles import Role

KEY_ACTION_MAX = 1000
DETAIL_MAX = 1500
DROP_REASON_MAX = 500
NOTE_MAX = 1500


def can_move(current: ActionStatus, target: ActionStatus) -> bool:
    """Unfinished actions may move anywhere; finished ones can be reopened."""
    return target is not current and (current in UNFINISHED or target is ActionStatus.OPEN)


def may_manage(user_id: str, *, owner_id: str, roles: Iterable[Role]) -> bool:
    """The owner may always change their action; the permission table says who else may."""
    return user_id == owner_id or permits(Operation.MANAGE_ANY_ACTION, roles)


class ListFilter(StrEnum):
    OPEN = "open"
    MINE = "mine"
    OVERDUE = "overdue"
    ALL = "all"


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
