"""`/psif team` requests and the rules for changing a review's team, free of Slack and storage.

A person holds at most one team role in a review (host lead, host team, IS lead, IS team,
peer reviewer); being a stakeholder in the self-assessment is separate. The host lead and
the IS lead are always two different people, and a lead is replaced, never just removed.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.core.roles import LEAD_ROLES, ROLE_LABELS, TEAM_ROLES, Role
from bot.reviews.councils import canonical_council
from bot.slack.text import unescape_slack

ORGANISATION_MAX = 120
USAGE = (
    "`/psif team` shows the team. Leads change it:\n"
    "• `/psif team add @a @b as peer [council or organisation]` (or `as host`, `as is`)\n"
    "• `/psif team remove @a`\n"
    "• `/psif team lead host @a` or `/psif team lead is @a`"
)
_MENTION = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")
_ADD_ROLES = {
    "peer": Role.PEER_REVIEWER,
    "peers": Role.PEER_REVIEWER,
    "peer-reviewer": Role.PEER_REVIEWER,
    "host": Role.HOST_TEAM,
    "is": Role.IS_TEAM,
}
_LEAD_ROLES = {"host": Role.HOST_LEAD, "is": Role.IS_LEAD}
# The team role a lead keeps when someone else becomes lead.
TEAM_OF_LEAD = {Role.HOST_LEAD: Role.HOST_TEAM, Role.IS_LEAD: Role.IS_TEAM}


@dataclass(frozen=True)
class ShowTeam:
    pass


@dataclass(frozen=True)
class AddMembers:
    users: tuple[str, ...]
    role: Role
    organisation: str | None = None


@dataclass(frozen=True)
class RemoveMembers:
    users: tuple[str, ...]


@dataclass(frozen=True)
class SetLead:
    role: Role
    user: str


TeamRequest = ShowTeam | AddMembers | RemoveMembers | SetLead


def mentions(text: str) -> tuple[str, ...]:
    """User ids of the `<@U…>` mentions in a command's raw text, once each, in order."""
    return tuple(dict.fromkeys(_MENTION.findall(text)))


def parse_team_request(raw: str) -> TeamRequest | str:
    """The request in `/psif team …`'s raw text, or what to tell the person instead."""
    words = raw.split()
    if not words:
        return ShowTeam()
    verb = words[0].lower()
    users = mentions(raw)
    if verb in ("add", "remove", "lead") and not users:
        return (
            "Name the people with @: type `@` and pick each person from the list, so that "
            f"Slack tells me who they are.\n{USAGE}"
        )
    if verb == "remove":
        return RemoveMembers(users)
    if verb == "lead":
        kind = words[1].lower() if len(words) > 1 else ""
        if kind not in _LEAD_ROLES or len(users) != 1:
            return f"Say which lead and name one person, e.g. `/psif team lead host @a`.\n{USAGE}"
        return SetLead(_LEAD_ROLES[kind], users[0])
    if verb == "add":
        rest = _MENTION.sub(" ", raw.split(maxsplit=1)[1]).split()
        if len(rest) < 2 or rest[0].lower() != "as" or rest[1].lower() not in _ADD_ROLES:
            return (
                f"Say which part of the team they join: `as peer`, `as host` or `as is`.\n{USAGE}"
            )
        role = _ADD_ROLES[rest[1].lower()]
        organisation = unescape_slack(" ".join(rest[2:])).strip() or None
        if organisation and role is not Role.PEER_REVIEWER:
            return (
                "Only peer reviewers are added with a council or organisation, e.g. "
                "`/psif team add @a as peer Angus`."
            )
        if organisation and len(organisation) > ORGANISATION_MAX:
            return f"Keep the organisation's name under {ORGANISATION_MAX} characters."
        if organisation:
            organisation = canonical_council(organisation) or organisation
        return AddMembers(users, role, organisation)
    return USAGE


def team_role(roles: set[Role]) -> Role | None:
    """The one team role among a person's roles (stakeholder aside)."""
    return next((role for role in TEAM_ROLES if role in roles), None)


@dataclass(frozen=True)
class AdditionPlan:
    added: tuple[str, ...]
    already: dict[str, Role] = field(default_factory=dict)


def plan_addition(team: Mapping[str, Role], request: AddMembers) -> AdditionPlan:
    """Who joins; people already on the team keep their role (remove them first to change)."""
    added = tuple(user for user in request.users if user not in team)
    return AdditionPlan(added, {user: team[user] for user in request.users if user in team})


@dataclass(frozen=True)
class RemovalPlan:
    removed: tuple[str, ...]
    leads: dict[str, Role] = field(default_factory=dict)
    not_on_team: tuple[str, ...] = ()


def plan_removal(team: Mapping[str, Role], request: RemoveMembers) -> RemovalPlan:
    """Who leaves; a lead stays until someone else is named lead."""
    return RemovalPlan(
        removed=tuple(u for u in request.users if u in team and team[u] not in LEAD_ROLES),
        leads={u: team[u] for u in request.users if team.get(u) in LEAD_ROLES},
        not_on_team=tuple(u for u in request.users if u not in team),
    )


@dataclass(frozen=True)
class LeadPlan:
    """The new lead, and the former lead (who stays on that side's team), or a refusal."""

    previous: str | None = None
    problem: str | None = None


def plan_lead(team: Mapping[str, Role], request: SetLead) -> LeadPlan:
    other = Role.IS_LEAD if request.role is Role.HOST_LEAD else Role.HOST_LEAD
    held = team.get(request.user)
    if held is request.role:
        return LeadPlan(problem=f"<@{request.user}> is already the {label(request.role)}.")
    if held is other:
        return LeadPlan(
            problem=f"<@{request.user}> is the {label(other)}. The host lead and the "
            "Improvement Service lead are two different people."
        )
    previous = next((user for user, role in team.items() if role is request.role), None)
    return LeadPlan(previous=previous)


def label(role: Role) -> str:
    """'peer reviewer', 'Improvement Service lead'."""
    text = ROLE_LABELS[role]
    return text if text.startswith("Improvement") else text.lower()
