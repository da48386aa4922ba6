"""Roles people hold in a review."""

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

LEADS = frozenset({Role.HOST_LEAD, Role.IS_LEAD})
HOST_AND_IS = frozenset({Role.HOST_LEAD, Role.HOST_TEAM, Role.IS_LEAD, Role.IS_TEAM})
REVIEW_TEAM = frozenset(
    {Role.HOST_LEAD, Role.HOST_TEAM, Role.IS_LEAD, Role.IS_TEAM, Role.PEER_REVIEWER}
)


def describe_allowed(allowed: frozenset[Role]) -> str:
    """'host lead or Improvement Service lead'."""
    labels = [ROLE_LABELS[role] for role in Role if role in allowed]
    text = ", ".join(labels[:-1]) + (" or " if len(labels) > 1 else "") + labels[-1]
    return text[0].lower() + text[1:]
