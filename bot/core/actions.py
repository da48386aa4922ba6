"""Improvement actions as storage returns them and builders render them: statuses and RAG
statuses with their labels, and the read-only action item."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum


class ActionStatus(StrEnum):
    OPEN = "open"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    DROPPED = "dropped"


STATUS_LABELS: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "Open",
    ActionStatus.IN_PROGRESS: "In progress",
    ActionStatus.DONE: "Done",
    ActionStatus.DROPPED: "Dropped",
}

STATUS_EMOJI: dict[ActionStatus, str] = {
    ActionStatus.OPEN: "⚪",
    ActionStatus.IN_PROGRESS: "🔵",
    ActionStatus.DONE: "✅",
    ActionStatus.DROPPED: "⛔",
}


class RagStatus(StrEnum):
    """How the owner or a lead judges an action is going: on track, at risk or off track."""

    RED = "red"
    AMBER = "amber"
    GREEN = "green"


RAG_LABELS: dict[RagStatus, str] = {
    RagStatus.RED: "Red",
    RagStatus.AMBER: "Amber",
    RagStatus.GREEN: "Green",
}

RAG_MEANINGS: dict[RagStatus, str] = {
    RagStatus.GREEN: "on track",
    RagStatus.AMBER: "at risk: some slippage or problems",
    RagStatus.RED: "off track: needs help to get going again",
}

RAG_EMOJI: dict[RagStatus, str] = {
    RagStatus.RED: "🔴",
    RagStatus.AMBER: "🟠",
    RagStatus.GREEN: "🟢",
}


def rag_text(rag: RagStatus | None) -> str:
    """'🟠 Amber', or '' when no RAG status has been set."""
    return f"{RAG_EMOJI[rag]} {RAG_LABELS[rag]}" if rag else ""


UNFINISHED = frozenset({ActionStatus.OPEN, ActionStatus.IN_PROGRESS})


@dataclass(frozen=True)
class AfiRef:
    """The area for improvement an action addresses, as builders show it."""

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
    """One improvement action, read-only, for builders and rules."""

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
class StatusChange:
    """A recorded move of an action's status: who, when, and why if dropped."""

    actor_id: str
    from_status: ActionStatus
    to_status: ActionStatus
    at: datetime
    reason: str = ""


@dataclass(frozen=True)
class ProgressUpdate:
    """A progress note and/or the RAG status it set: who, when, what."""

    author_id: str
    at: datetime
    note: str = ""
    rag: RagStatus | None = None
