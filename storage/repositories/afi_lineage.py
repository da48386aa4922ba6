"""Which AFI each AFI of a review counts as now: one merged into another counts as that one,
so findings, sessions and options follow their AFI through merges (as actions do)."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models.afis import Afi, AfiStatus


def current_afis(*, session: Session, review_id: int) -> dict[int, Afi]:
    """Every AFI id of the review → the AFI it counts as now (itself unless merged)."""
    afis = {afi.id: afi for afi in session.scalars(select(Afi).where(Afi.review_id == review_id))}
    resolved: dict[int, Afi] = {}
    for afi_id, afi in afis.items():
        seen = {afi_id}
        current = afi
        while (
            current.status == AfiStatus.MERGED.value
            and current.merged_into_id in afis
            and current.merged_into_id not in seen
        ):
            seen.add(current.merged_into_id)
            current = afis[current.merged_into_id]
        resolved[afi_id] = current
    return resolved


def merged_into(afis: dict[int, Afi], afi_id: int) -> set[int]:
    """The ids that count as `afi_id` now: itself and every AFI merged into it."""
    return {source for source, current in afis.items() if current.id == afi_id}


def numbers_merged_into(*, session: Session, review_id: int, afi_id: int) -> list[int]:
    """The numbers of the AFIs merged (directly or not) into `afi_id`."""
    afis = current_afis(session=session, review_id=review_id)
    sources = merged_into(afis, afi_id) - {afi_id}
    return sorted(session.scalars(select(Afi.number).where(Afi.id.in_(sources))) if sources else [])
