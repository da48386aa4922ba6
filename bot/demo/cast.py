"""Who plays in the demo: the people of the reviewed council, the peer reviewers from other
councils and the stakeholders they interview."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Person:
    id: str
    name: str
    role: str
    team_id: str | None = None  # another Slack workspace's (Slack Connect); None: the host's


@dataclass(frozen=True)
class Cast:
    host_lead: Person
    host_team: Person
    is_lead: Person
    is_team: Person
    peers: tuple[Person, ...]  # peer reviewers from other councils
    stakeholders: tuple[Person, ...]

    @property
    def team(self) -> tuple[Person, ...]:
        return (self.host_lead, self.host_team, self.is_lead, self.is_team, *self.peers)

    @property
    def everyone(self) -> tuple[Person, ...]:
        return (*self.team, *self.stakeholders)
