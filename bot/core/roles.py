"""Roles people hold in a review, as the guidance names them (section 6)."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    HOST_LEAD = "host_lead"
    HOST_TEAM = "host_team"
    IS_LEAD = "is_lead"
    IS_TEAM = "is_team"
    PEER_REVIEWER = "peer_reviewer"
    STAKEHOLDER = "stakeholder"


ROLE_LABELS: dict[Role, str] = {
    Role.HOST_LEAD: "Host lead",
    Role.HOST_TEAM: "Host team",
    Role.IS_LEAD: "Improvement Service lead",
    Role.IS_TEAM: "Improvement Service team",
    Role.PEER_REVIEWER: "Peer reviewer",
    Role.STAKEHOLDER: "Stakeholder",
}

# The review team in display order; one per person (who may also be a stakeholder).
TEAM_ROLES: tuple[Role, ...] = (
    Role.HOST_LEAD,
    Role.IS_LEAD,
    Role.HOST_TEAM,
    Role.IS_TEAM,
    Role.PEER_REVIEWER,
)
LEAD_ROLES = frozenset({Role.HOST_LEAD, Role.IS_LEAD})
