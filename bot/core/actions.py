"""Improvement actions: statuses and RAG with labels, the read-only item, typed numbers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


STATUS_LABELS = {status: status.replace("_", " ").capitalize() for status in ActionStatus}
STATUS_EMOJI: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "⚪",
    ActionStatus.IN_PROGRESS: "🔵",
    ActionStatus.DONE: "✅",
    ActionStatus.DROPPED: "⛔",
}


class RagStatus(StrEnum):
    RED = "red"
    AMBER = "amber"
    GREEN = "green"


RAG_LABELS = {rag: rag.capitalize() for rag in RagStatus}
# Each RAG status's emoji and what it means.
_RAG_SIGNS: dict[RagStatus, tuple[str, str]] = {
    RagStatus.GREEN: ("🟢", "on track"),
    RagStatus.AMBER: ("🟠", "at risk: some slippage or problems"),
    RagStatus.RED: ("🔴", "off track: needs help to get going again"),
}
RAG_EMOJI = {rag: emoji for rag, (emoji, _) in _RAG_SIGNS.items()}
RAG_MEANINGS = {rag: meaning for rag, (_, meaning) in _RAG_SIGNS.items()}


def rag_text(rag: RagStatus | None) -> str:
    """'🟠 Amber', or '' when no RAG status has been set."""
    return f"{RAG_EMOJI[rag]} {RAG_LABELS[rag]}" if rag else ""


UNFINISHED = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})
ACTION_NUMBER_DIGITS = 6  # no review has a million actions


def parse_action_number(text: str) -> int | None:
    """'3' or '#3' → 3; anything else (other digits, more than a review could hold) → None."""
    cleaned = text.strip().removeprefix("#")
    if not cleaned.isascii() or not cleaned.isdigit() or len(cleaned) > ACTION_NUMBER_DIGITS:
        return None
    return int(cleaned)


@dataclass(frozen=True)
class AfiRef:
    id: int
    number: int
    text: str
    prioritised: bool = False
    rank: int | None = None

    @property
    def label(self) -> str:
        return f"AFI {self.number}: {self.text}"


@dataclass(frozen=True)
class ActionItem:
    id: int
    review_id: int
    number: int
    key_action: str
    owner_id: str
    due: date
    status: ActionStatus
    afi: AfiRef | None = None
    risks: str = ""
    measure: str = ""
    outcome: str = ""
    drop_reason: str = ""
    created_by: str = ""
    created_at: datetime | None = None
    status_changed_by: str | None = None
    status_changed_at: datetime | None = None
    channel_id: str | None = None
    message_ts: str | None = None
    rag: RagStatus | None = None

    @property
    def unfinished(self) -> bool:
        return self.status in UNFINISHED

    def overdue(self, today: date) -> bool:
        return self.unfinished and self.due < today


@dataclass(frozen=True)
class OwnedActions:
    """A person's actions for their Home tab: the first unfinished ones, and counts of all."""

    first: tuple[ActionItem, ...]
    unfinished: int
    overdue: int
    finished: int

    @classmethod
    def of(cls, items: Iterable[ActionItem], *, today: date) -> OwnedActions:
        ordered = overdue_first(items, today=today)
        unfinished = [item for item in ordered if item.unfinished]
        return cls(
            first=tuple(unfinished),
            unfinished=len(unfinished),
            overdue=sum(1 for item in unfinished if item.overdue(today)),
            finished=len(ordered) - len(unfinished),
        )


NO_ACTIONS = OwnedActions(first=(), unfinished=0, overdue=0, finished=0)


@dataclass(frozen=True)
class StatusChange:
    actor_id: str
    from_status: ActionStatus
    to_status: ActionStatus
    at: datetime
    reason: str = ""


@dataclass(frozen=True)
class ProgressUpdate:
    author_id: str
    at: datetime
    note: str = ""
    rag: RagStatus | None = None


def status_text(item: ActionItem, *, today: date | None = None) -> str:
    """'🔵 In progress', with ' · overdue' when `today` is given and it is."""
    text = f"{STATUS_EMOJI[item.status]} {STATUS_LABELS[item.status]}"
    if today is not None and item.overdue(today):
        text += " · ⚠️ overdue"
    return text


def overdue_first(items: Iterable[ActionItem], *, today: date) -> list[ActionItem]:
    """Overdue first, then unfinished by due date, then finished ones."""
    return sorted(
        items,
        key=lambda item: (not item.overdue(today), not item.unfinished, item.due, item.number),
    )
