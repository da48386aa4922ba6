"""The team's rules, free of Slack and storage: reading `/psif team …` and `/psif
participants …`, and checking what a lead records about the peer councils. A person holds
at most one team role; the two leads are different people, and a lead is replaced, never
just removed."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.councils import MAX_PEER_COUNCILS, canonical_council
from bot.core.errors import Refusal
from bot.core.peers import PeerCouncilItem, PeerState, PeerUpdate
from bot.core.roles import ROLE_LABELS, Role
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

PEER_COUNCILS_WANTED = 3
MAX_PARTNERS = 5
PARTNER_MAX = 120  # the column's length
NOMINEES_MAX = 500
REASON_MAX = 500


def label(role: Role) -> str:
    """'peer reviewer', 'Improvement Service lead'."""
    text = ROLE_LABELS[role]
    return text if text.startswith("Improvement") else text.lower()


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


def _mentioned(raw: str, usage: str) -> tuple[str, ...]:
    """The people @mentioned, once each in order; a Refusal saying how, if none is."""
    users = tuple(dict.fromkeys(_MENTION.findall(raw)))
    if not users:
        raise Refusal(
            "Name the people with @: type `@` and pick each person from the list, so that "
            f"Slack tells me who they are.\n{usage}"
        )
    return users


def parse_team_request(raw: str) -> AddMembers | RemoveMembers | SetLead:
    """The change `/psif team …`'s raw text asks for; a Refusal saying what to type instead."""
    words = raw.split()
    verb = words[0].lower() if words else ""
    if verb not in ("add", "remove", "lead"):
        raise Refusal(USAGE)
    users = _mentioned(raw, USAGE)
    if verb == "remove":
        return RemoveMembers(users)
    if verb == "lead":
        kind = words[1].lower() if len(words) > 1 else ""
        if kind not in _LEAD_ROLES or len(users) != 1:
            raise Refusal(
                f"Say which lead and name one person, e.g. `/psif team lead host @a`.\n{USAGE}"
            )
        return SetLead(_LEAD_ROLES[kind], users[0])
    rest = _MENTION.sub(" ", raw.split(maxsplit=1)[1]).split()
    if len(rest) < 2 or rest[0].lower() != "as" or rest[1].lower() not in _ADD_ROLES:
        raise Refusal(
            f"Say which part of the team they join: `as peer`, `as host` or `as is`.\n{USAGE}"
        )
    role = _ADD_ROLES[rest[1].lower()]
    organisation = unescape_slack(" ".join(rest[2:])).strip() or None
    if organisation and role is not Role.PEER_REVIEWER:
        raise Refusal(
            "Only peer reviewers are added with a council or organisation, e.g. "
            "`/psif team add @a as peer Angus`."
        )
    if organisation and len(organisation) > ORGANISATION_MAX:
        raise Refusal(f"Keep the organisation's name under {ORGANISATION_MAX} characters.")
    return AddMembers(
        users, role, organisation and (canonical_council(organisation) or organisation)
    )


class PeerField(StrEnum):
    """The parts of one council's entry in the form (errors name one)."""

    STATE = "state"
    APPROACHED = "approached"
    NOMINEES = "nominees"
    REASON = "reason"


@dataclass(frozen=True)
class PeersForm:
    updates: tuple[PeerUpdate, ...]
    new_partner: str = ""


@dataclass(frozen=True)
class PeersCheck:
    """Inline errors: per council entry, and for the new partner organisation."""

    entries: dict[tuple[PeerField, int], str]
    partner: str | None = None

    def __bool__(self) -> bool:
        return bool(self.entries) or self.partner is not None


def check_form(
    form: PeersForm, items: Sequence[PeerCouncilItem], *, host_council: str, today: date
) -> PeersCheck:
    """What the lead must fix before anything is saved (nothing, when the check is falsy)."""
    entries: dict[tuple[PeerField, int], str] = {}
    for update in form.updates:
        council = update.council_id
        if update.state is PeerState.APPROACHED and update.approached_on is None:
            entries[(PeerField.APPROACHED, council)] = "Give the date you approached them."
        if update.approached_on and update.approached_on > today:
            entries[(PeerField.APPROACHED, council)] = (
                "That date hasn't come yet: give the day they were approached."
            )
        if update.state is PeerState.AGREED and not update.nominees:
            entries[(PeerField.NOMINEES, council)] = (
                "Name the people they nominate, or keep them as approached until they do."
            )
        if len(update.nominees) > NOMINEES_MAX:
            entries[(PeerField.NOMINEES, council)] = f"Keep this under {NOMINEES_MAX} characters."
        if update.state is PeerState.DECLINED and not update.declined_reason:
            entries[(PeerField.REASON, council)] = (
                "Say briefly why, so the team can decide whether to approach another council."
            )
        if len(update.declined_reason) > REASON_MAX:
            entries[(PeerField.REASON, council)] = f"Keep this under {REASON_MAX} characters."
    return PeersCheck(entries, partner_problem(form.new_partner, items, host_council))


def partner_problem(name: str, items: Sequence[PeerCouncilItem], host_council: str) -> str | None:
    """Why `name` can't be added as a partner organisation, or None (also for no name)."""
    if not name:
        return None
    if len(name) > PARTNER_MAX:
        return f"Keep the organisation's name under {PARTNER_MAX} characters."
    council = canonical_council(name)
    if council == host_council:
        return f"{council} is the host council."
    if any(item.name.casefold() == (council or name).casefold() for item in items):
        return f"{council or name} is already on the list."
    if council:
        return (
            f"{council} is a council: add it to the peer councils with `/psif edit` "
            f"(up to {MAX_PEER_COUNCILS})."
        )
    if sum(item.is_partner for item in items) >= MAX_PARTNERS:
        return f"The list holds {MAX_PARTNERS} partner organisations at most."
    return None


def settled(update: PeerUpdate) -> PeerUpdate:
    """Keep only what the chosen state records: a council still to approach has no date,
    nominees belong to an agreement and a reason to a refusal."""
    state = update.state
    return PeerUpdate(
        update.council_id,
        state,
        approached_on=None if state is PeerState.TO_APPROACH else update.approached_on,
        nominees=update.nominees if state is PeerState.AGREED else "",
        declined_reason=update.declined_reason if state is PeerState.DECLINED else "",
    )


def changed(item: PeerCouncilItem, update: PeerUpdate) -> bool:
    fields = ("state", "approached_on", "nominees", "declined_reason")
    return any(getattr(item, field) != getattr(update, field) for field in fields)


PARTICIPANTS_USAGE = (
    "`/psif participants` lists the host council's officers taking part in fieldwork. "
    "Leads change the list and send them what they need:\n"
    "• `/psif participants add @a @b`\n"
    "• `/psif participants remove @a`\n"
    "• `/psif participants send`: the papers (once sent to the team) and the fieldwork "
    "schedule, by direct message"
)


@dataclass(frozen=True)
class ParticipantsChange:
    adding: bool
    users: tuple[str, ...]


def parse_participants_request(raw: str) -> ParticipantsChange:
    """`/psif participants add|remove @a …`; a Refusal saying what to type instead."""
    words = raw.split()
    verb = words[0].lower() if words else ""
    if verb not in ("add", "remove"):
        raise Refusal(PARTICIPANTS_USAGE)
    return ParticipantsChange(verb == "add", _mentioned(raw, PARTICIPANTS_USAGE))
