"""Peer councils as storage returns them: who has been approached to contribute peer
reviewers, and what they said (to approach, approached, agreed or declined)."""

from __future__ import annotations

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
