"""Peer councils approached for reviewers, their answers, and what the stage check counts."""

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


STATE_LABELS = {state: state.replace("_", " ").capitalize() for state in PeerState}


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
    councils: int
    agreed: int
    declined: int
    agreed_without_reviewers: tuple[str, ...]


def peer_facts(
    items: Sequence[PeerCouncilItem], reviewer_organisations: Collection[str]
) -> PeerFacts:
    """Counts over councils (not partners), and who agreed with no reviewer on the team."""
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
