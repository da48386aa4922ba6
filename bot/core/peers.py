"""Peer councils as storage returns them: who has been approached to contribute peer
reviewers, and what they said (to approach, approached, agreed or declined); and what the
stage check counts of them."""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum


class PeerState(StrEnum):
    TO_APPROACH = "to_approach"
    APPROACHED = "approached"
    AGREED = "agreed"
    DECLINED = "declined"


STATE_LABELS: dict[PeerState, str] = {
    PeerState.TO_APPROACH: "To approach",
    PeerState.APPROACHED: "Approached",
    PeerState.AGREED: "Agreed",
    PeerState.DECLINED: "Declined",
}


@dataclass(frozen=True)
class PeerCouncilItem:
    id: int
    name: str
    is_partner: bool
    state: PeerState
    approached_on: date | None = None
    nominees: str = ""
    declined_reason: str = ""


@dataclass(frozen=True)
class PeerUpdate:
    """What the form says about one council; `state` None removes a partner organisation."""

    council_id: int
    state: PeerState | None
    approached_on: date | None = None
    nominees: str = ""
    declined_reason: str = ""


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
