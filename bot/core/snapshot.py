"""A read-only picture of a review that builders render, free of storage and Slack."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from bot.core.roles import Role
from bot.core.stages import Stage
from bot.core.timeline import Timeline


@dataclass(frozen=True)
class ReviewSnapshot:
    id: int
    channel_id: str
    host_council: str
    focus: str
    rationale: str
    stage: Stage
    timeline: Timeline
    members: tuple[tuple[str, Role], ...] = ()
    peer_councils: tuple[str, ...] = ()
    partners: tuple[str, ...] = ()  # partner organisations approached for peer reviewers
    peer_rationale: str = ""
    created_by: str = ""
    opened_on: date | None = None
    checklist_id: str = "psif-default"
    closed_on: date | None = None
    # Peer reviewers' councils or partner organisations, by user id.
    organisations: dict[str, str] = field(default_factory=dict)
    extra: dict[str, str] = field(default_factory=dict)

    def with_role(self, role: Role) -> list[str]:
        return [user for user, held in self.members if held is role]
