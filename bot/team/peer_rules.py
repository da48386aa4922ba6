"""Peer councils: who has been approached to contribute peer reviewers, and what they said.

Each council named in Appendix 1 (and each partner organisation added by a lead) is to
approach, approached (on a date), agreed (with the people they nominate) or declined (with
a reason). The guidance asks for three peer councils; the stage check counts those that
agreed and whether their reviewers are on the team. Free of Slack and storage.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from bot.core.peers import PeerCouncilItem, PeerState, PeerUpdate
from bot.reviews.councils import canonical_council
from bot.reviews.form import MAX_PEER_COUNCILS

PEER_COUNCILS_WANTED = 3
MAX_PARTNERS = 5
PARTNER_MAX = 120  # the column's length
NOMINEES_MAX = 500
REASON_MAX = 500


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
        if update.state is PeerState.APPROACHED and update.approached_on is None:
            entries[(PeerField.APPROACHED, update.council_id)] = (
                "Give the date you approached them."
            )
        if update.approached_on and update.approached_on > today:
            entries[(PeerField.APPROACHED, update.council_id)] = (
                "That date hasn't come yet: give the day they were approached."
            )
        if update.state is PeerState.AGREED and not update.nominees:
            entries[(PeerField.NOMINEES, update.council_id)] = (
                "Name the people they nominate, or keep them as approached until they do."
            )
        if len(update.nominees) > NOMINEES_MAX:
            entries[(PeerField.NOMINEES, update.council_id)] = (
                f"Keep this under {NOMINEES_MAX} characters."
            )
        if update.state is PeerState.DECLINED and not update.declined_reason:
            entries[(PeerField.REASON, update.council_id)] = (
                "Say briefly why, so the team can decide whether to approach another council."
            )
        if len(update.declined_reason) > REASON_MAX:
            entries[(PeerField.REASON, update.council_id)] = (
                f"Keep this under {REASON_MAX} characters."
            )
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
    return (item.state, item.approached_on, item.nominees, item.declined_reason) != (
        update.state,
        update.approached_on,
        update.nominees,
        update.declined_reason,
    )


@dataclass(frozen=True)
class PeerFacts:
    """What the stage check counts."""

    councils: int
    agreed: int
    declined: int
    agreed_without_reviewers: tuple[str, ...]


def peer_facts(
    items: Sequence[PeerCouncilItem], reviewer_organisations: Collection[str]
) -> PeerFacts:
    """Counts over the councils (partner organisations aside, as the guidance's three are
    councils), and which agreed councils or partners have no peer reviewer on the team."""
    councils = [item for item in items if not item.is_partner]
    named = {organisation.casefold() for organisation in reviewer_organisations}
    return PeerFacts(
        councils=len(councils),
        agreed=sum(item.state is PeerState.AGREED for item in councils),
        declined=sum(item.state is PeerState.DECLINED for item in councils),
        agreed_without_reviewers=tuple(
            item.name
            for item in items
            if item.state is PeerState.AGREED and item.name.casefold() not in named
        ),
    )
